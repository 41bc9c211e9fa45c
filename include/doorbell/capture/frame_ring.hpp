#pragma once
// FrameRing: the last N frames (the pre-roll), newest overwriting oldest. One writer (the capture
// thread) and any number of readers; slots are atomic shared pointers, so neither side takes a lock of
// ours and frames are shared, never copied. Thread-safe.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

#include "doorbell/capture/frame.hpp"

namespace doorbell::capture {

class FrameRing {
 public:
  explicit FrameRing(std::size_t capacity);

  void push(FramePtr frame);  // one writer at a time
  FramePtr latest() const;
  // Up to `count` newest frames, oldest first.
  std::vector<FramePtr> last(std::size_t count) const;
  // Frames newer than `sequence`, oldest first.
  std::vector<FramePtr> after(std::uint64_t sequence) const;
  std::size_t capacity() const noexcept { return slots_.size(); }

 private:
  std::vector<std::atomic<FramePtr>> slots_;
  std::atomic<std::uint64_t> written_{0};  // frames pushed so far
};

}  // namespace doorbell::capture
