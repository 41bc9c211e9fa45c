#pragma once
// eventually(): polls a condition until it holds or a timeout passes, for tests that wait on another
// process or thread. Stateless; thread-safe if the condition is.

#include <chrono>
#include <thread>

namespace doorbell::testing {

// True as soon as `done()` is; false if it still is not after `timeout`. Checks at least once.
template <typename Condition>
bool eventually(Condition&& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(interval);
  }
  return true;
}

}  // namespace doorbell::testing
