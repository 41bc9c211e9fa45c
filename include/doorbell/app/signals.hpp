#pragma once
// SignalSet: blocks SIGTERM, SIGINT and SIGHUP in the calling thread (and every thread it starts after)
// so that only wait() sees them, synchronously, in the main loop; threads started earlier (by libraries)
// pass them on to it. Construct it before starting threads, once per process. Used from one thread.

#include <signal.h>

#include <array>
#include <chrono>
#include <optional>

namespace doorbell {

class SignalSet {
 public:
  SignalSet();
  ~SignalSet();  // restores the previous mask
  SignalSet(const SignalSet&) = delete;
  SignalSet& operator=(const SignalSet&) = delete;

  // The signal that arrived within `timeout`, if any.
  std::optional<int> wait(std::chrono::milliseconds timeout) const;

 private:
  static constexpr std::array<int, 3> kSignals{SIGTERM, SIGINT, SIGHUP};
  sigset_t set_{};
  sigset_t previous_{};
  std::array<struct sigaction, kSignals.size()> previous_actions_{};
};

}  // namespace doorbell
