#pragma once
// LiveFrame: the newest frame the camera took — what the live view, the snapshot route and a worker
// with no assessed frame look at — and how long a frame stays fresh: an older one shows the door as it
// was, not as it is (the camera stopped), and is never used for a decision or shown as live. The
// pre-roll is kept with its faces by pipeline::AssessedFrames, not here. One writer (the capture
// thread), any number of readers; the frame is shared, never copied. Thread-safe.

#include <chrono>
#include <mutex>

#include "doorbell/capture/frame.hpp"

namespace doorbell::capture {

class LiveFrame {
 public:
  using Duration = std::chrono::steady_clock::duration;
  explicit LiveFrame(Duration fresh_for = Duration::max()) : fresh_for_(fresh_for) {}

  void push(FramePtr frame);
  FramePtr latest() const;  // null before the first frame
  // The newest frame if it is fresh at `at`, else null (no frame yet, or the camera is down).
  FramePtr latest_fresh(std::chrono::steady_clock::time_point at) const;
  Duration fresh_for() const noexcept { return fresh_for_; }
  // Whether `frame` was captured within fresh_for() before `at`.
  bool fresh(const Frame& frame, std::chrono::steady_clock::time_point at) const noexcept;

 private:
  mutable std::mutex mutex_;
  FramePtr latest_;  // guarded by mutex_
  const Duration fresh_for_;
};

}  // namespace doorbell::capture
