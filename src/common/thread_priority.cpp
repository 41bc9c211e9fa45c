#include "doorbell/common/thread_priority.hpp"

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

namespace doorbell {

bool lower_thread_priority(int steps) noexcept {
  const auto thread = static_cast<id_t>(gettid());
  errno = 0;
  const int now = getpriority(PRIO_PROCESS, thread);  // -1 is a valid nice value: errno tells
  if (errno != 0) return false;
  return setpriority(PRIO_PROCESS, thread, std::min(19, now + steps)) == 0;
}

bool request_short_slice(std::chrono::microseconds slice) noexcept {
  errno = 0;
  const int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  if (errno != 0) return false;
  struct {  // the kernel's struct sched_attr, first version (glibc 2.36 has no wrapper)
    std::uint32_t size = sizeof(*this), policy = SCHED_OTHER;
    std::uint64_t flags = 0;
    std::int32_t nice = 0;
    std::uint32_t priority = 0;
    std::uint64_t runtime = 0, deadline = 0, period = 0;
  } attr;
  attr.nice = nice;
  attr.runtime = static_cast<std::uint64_t>(std::chrono::nanoseconds(slice).count());
  return syscall(SYS_sched_setattr, 0, &attr, 0U) == 0;
}

}  // namespace doorbell
