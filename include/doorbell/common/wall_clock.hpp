#pragma once
// The wall clock together with whether the kernel holds it synchronised (by NTP, chrony or
// systemd-timesyncd): a Raspberry Pi has no real-time clock and runs on a stale time from boot until its
// first NTP answer, so what is stamped before then is marked. Free functions over the kernel: thread-safe.

#include <chrono>

namespace doorbell {

struct WallTime {
  std::chrono::system_clock::time_point time;
  bool synchronised = true;
};

// adjtimex(2): false while the kernel marks the clock unsynchronised (STA_UNSYNC); true when it cannot say.
bool wall_clock_synchronised() noexcept;
WallTime wall_now() noexcept;

}  // namespace doorbell
