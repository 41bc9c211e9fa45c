#pragma once
// FakeClock: a Clock that moves only when a test advances it. Thread-safe.

#include <atomic>

#include "doorbell/common/clock.hpp"

namespace doorbell::testing {

class FakeClock final : public Clock {
 public:
  time_point now() const noexcept override { return time_point(time_point::duration(ticks_.load())); }
  void advance(std::chrono::nanoseconds by) { ticks_ += by.count(); }

 private:
  std::atomic<time_point::rep> ticks_{1'000'000'000};
};

}  // namespace doorbell::testing
