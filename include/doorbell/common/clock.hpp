#pragma once
// Clock: the source of monotonic time for anything that measures ages or deadlines; thread-safe.

#include <chrono>

namespace doorbell {

class Clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual time_point now() const noexcept = 0;
};

// The real steady clock.
class SteadyClock final : public Clock {
 public:
  time_point now() const noexcept override { return std::chrono::steady_clock::now(); }
};

}  // namespace doorbell
