#include "doorbell/common/wall_clock.hpp"

#include <sys/timex.h>

namespace doorbell {

bool wall_clock_synchronised() noexcept {
  timex state{};  // modes 0: only reads
  if (::adjtimex(&state) == -1) return true;
  return (state.status & STA_UNSYNC) == 0;
}

WallTime wall_now() noexcept {
  const bool synchronised = wall_clock_synchronised();
  return {std::chrono::system_clock::now(), synchronised};
}

}  // namespace doorbell
