#pragma once
// FrameRing: the last N frames (the pre-roll), newest overwriting oldest, and how long a frame stays
// fresh: an older one shows the door as it was, not as it is (the camera stopped), and is never used
// for a decision or shown as live. One writer (the capture thread) and any number of readers. Frames are
// shared, never copied: the lock is held only to copy a few pointers, so it is uncontended at camera rates.
// Thread-safe.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include "doorbell/capture/frame.hpp"

namespace doorbell::capture {

class FrameRing {
 public:
  using Duration = std::chrono::steady_clock::duration;
  explicit FrameRing(std::size_t capacity, Duration fresh_for = Duration::max());

  void push(FramePtr frame);
  FramePtr latest() const;
  // Up to `count` newest frames, oldest first.
  std::vector<FramePtr> last(std::size_t count) const;
  std::size_t capacity() const noexcept { return slots_.size(); }
  Duration fresh_for() const noexcept { return fresh_for_; }
  // Whether `frame` was captured within fresh_for() before `at`.
  bool fresh(const Frame& frame, std::chrono::steady_clock::time_point at) const noexcept;

 private:
  mutable std::mutex mutex_;
  std::vector<FramePtr> slots_;
  const Duration fresh_for_;
  std::uint64_t written_ = 0;  // frames pushed so far; guarded by mutex_
};

}  // namespace doorbell::capture
