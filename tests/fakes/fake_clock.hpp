#pragma once
// FakeClock: a Clock that moves only when a test advances it, both its monotonic and its wall time (which
// starts at the real time, so what it stamps looks recent). Thread-safe.

#include <atomic>

#include "doorbell/common/clock.hpp"

namespace doorbell::testing {

class FakeClock final : public Clock {
 public:
  time_point now() const noexcept override { return time_point(time_point::duration(ticks_.load())); }
  std::chrono::system_clock::time_point wall_now() const noexcept override {
    return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(wall_ticks_.load()));
  }
  void advance(std::chrono::nanoseconds by) {
    ticks_ += by.count();
    wall_ticks_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(by).count();
  }

 private:
  std::atomic<time_point::rep> ticks_{1'000'000'000};
  std::atomic<std::chrono::system_clock::rep> wall_ticks_{
      std::chrono::system_clock::now().time_since_epoch().count()};
};

}  // namespace doorbell::testing
