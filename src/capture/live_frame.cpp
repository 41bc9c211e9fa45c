#include "doorbell/capture/live_frame.hpp"

#include <utility>

namespace doorbell::capture {

bool LiveFrame::fresh(const Frame& frame, std::chrono::steady_clock::time_point at) const noexcept {
  return at - frame.captured <= fresh_for_;
}

void LiveFrame::push(FramePtr frame) {
  {
    std::lock_guard lock(mutex_);
    std::swap(latest_, frame);
  }
  // `frame` now holds the previous one: its image is freed here, outside the lock.
}

FramePtr LiveFrame::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

FramePtr LiveFrame::latest_fresh(std::chrono::steady_clock::time_point at) const {
  auto frame = latest();
  return frame && fresh(*frame, at) ? frame : nullptr;
}

}  // namespace doorbell::capture
