#include "doorbell/common/thread_priority.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace doorbell {

bool lower_thread_priority(int steps) noexcept {
  const auto thread = static_cast<id_t>(gettid());
  errno = 0;
  const int now = getpriority(PRIO_PROCESS, thread);  // -1 is a valid nice value: errno tells
  if (errno != 0) return false;
  return setpriority(PRIO_PROCESS, thread, std::min(19, now + steps)) == 0;
}

}  // namespace doorbell
