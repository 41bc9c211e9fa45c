#pragma once
// FrameRing: the last N frames (the pre-roll), newest overwriting oldest. One writer (the capture
// thread) and any number of readers. Frames are shared, never copied: the lock is held only to copy
// a few pointers, so it is uncontended at camera rates. Thread-safe.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include "doorbell/capture/frame.hpp"

namespace doorbell::capture {

class FrameRing {
 public:
  explicit FrameRing(std::size_t capacity);

  void push(FramePtr frame);
  FramePtr latest() const;
  // Up to `count` newest frames, oldest first.
  std::vector<FramePtr> last(std::size_t count) const;
  // Up to `count` newest frames captured at or before `time`, oldest first: a ring's pre-roll, however
  // late it is looked at (while the frames are still held).
  std::vector<FramePtr> last_until(std::chrono::steady_clock::time_point time, std::size_t count) const;
  // Frames newer than `sequence`, oldest first.
  std::vector<FramePtr> after(std::uint64_t sequence) const;
  std::size_t capacity() const noexcept { return slots_.size(); }

 private:
  mutable std::mutex mutex_;
  std::vector<FramePtr> slots_;
  std::uint64_t written_ = 0;  // frames pushed so far; guarded by mutex_
};

}  // namespace doorbell::capture
