#pragma once
// Clock: where a component reads the time — the monotonic clock for ages and deadlines, the wall clock for
// what it stamps and stores — so that tests move time instead of waiting for it (tests/fakes). Thread-safe.

#include <chrono>

namespace doorbell {

class Clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual time_point now() const noexcept = 0;
  virtual std::chrono::system_clock::time_point wall_now() const noexcept = 0;
};

// A duration — a configured one counts fractions of seconds, hours or days — as the clocks count it.
template <class Rep, class Period>
constexpr Clock::time_point::duration ticks(std::chrono::duration<Rep, Period> d) {
  return std::chrono::duration_cast<Clock::time_point::duration>(d);
}

// The machine's clocks.
class SteadyClock final : public Clock {
 public:
  time_point now() const noexcept override { return std::chrono::steady_clock::now(); }
  std::chrono::system_clock::time_point wall_now() const noexcept override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace doorbell
