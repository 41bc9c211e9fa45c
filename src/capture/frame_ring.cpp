#include "doorbell/capture/frame_ring.hpp"

#include <algorithm>

namespace doorbell::capture {

FrameRing::FrameRing(std::size_t capacity, Duration fresh_for)
    : slots_(std::max<std::size_t>(capacity, 1)), fresh_for_(fresh_for) {}

bool FrameRing::fresh(const Frame& frame, std::chrono::steady_clock::time_point at) const noexcept {
  return at - frame.captured <= fresh_for_;
}

void FrameRing::push(FramePtr frame) {
  {
    std::lock_guard lock(mutex_);
    std::swap(slots_[written_ % slots_.size()], frame);
    ++written_;
  }
  // `frame` now holds the evicted one: its image is freed here, outside the lock.
}

FramePtr FrameRing::latest() const {
  std::lock_guard lock(mutex_);
  return written_ == 0 ? nullptr : slots_[(written_ - 1) % slots_.size()];
}

std::vector<FramePtr> FrameRing::last(std::size_t count) const {
  std::lock_guard lock(mutex_);
  count = std::min({count, slots_.size(), static_cast<std::size_t>(written_)});
  std::vector<FramePtr> out;
  out.reserve(count);
  for (auto i = written_ - count; i < written_; ++i) out.push_back(slots_[i % slots_.size()]);
  return out;
}

}  // namespace doorbell::capture
