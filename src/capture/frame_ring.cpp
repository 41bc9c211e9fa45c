#include "doorbell/capture/frame_ring.hpp"

#include <algorithm>

namespace doorbell::capture {

FrameRing::FrameRing(std::size_t capacity) : slots_(std::max<std::size_t>(capacity, 1)) {}

void FrameRing::push(FramePtr frame) {
  const auto n = written_.load(std::memory_order_relaxed);
  slots_[n % slots_.size()].store(std::move(frame), std::memory_order_release);
  written_.store(n + 1, std::memory_order_release);
}

FramePtr FrameRing::latest() const {
  const auto n = written_.load(std::memory_order_acquire);
  if (n == 0) return nullptr;
  return slots_[(n - 1) % slots_.size()].load(std::memory_order_acquire);
}

std::vector<FramePtr> FrameRing::last(std::size_t count) const {
  const auto n = written_.load(std::memory_order_acquire);
  count = std::min({count, slots_.size(), static_cast<std::size_t>(n)});
  std::vector<FramePtr> out;
  out.reserve(count);
  for (auto i = n - count; i < n; ++i) {
    auto frame = slots_[i % slots_.size()].load(std::memory_order_acquire);
    // The writer may have lapped a slot while we read: keep frames in order, skip overwritten ones.
    if (frame && (out.empty() || frame->sequence > out.back()->sequence)) out.push_back(std::move(frame));
  }
  return out;
}

std::vector<FramePtr> FrameRing::after(std::uint64_t sequence) const {
  auto frames = last(slots_.size());
  std::erase_if(frames, [sequence](const FramePtr& f) { return f->sequence <= sequence; });
  return frames;
}

}  // namespace doorbell::capture
