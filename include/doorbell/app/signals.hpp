#pragma once
// SignalSet: blocks SIGTERM, SIGINT and SIGHUP in the calling thread (and every thread it starts after)
// so that only wait() sees them, synchronously, in the main loop. Construct it before starting threads.
// Used from one thread.

#include <signal.h>

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
  sigset_t set_{};
  sigset_t previous_{};
};

}  // namespace doorbell
