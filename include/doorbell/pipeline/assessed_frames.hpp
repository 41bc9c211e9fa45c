#pragma once
// AssessedFrames: what the face assessor found in the newest frames — each frame with its faces
// (detected, aligned and gated, not yet described) and its score — for as many frames as the pre-roll
// holds, newest overwriting oldest. Rings read them; a ring that must wait for newer ones says so, and
// the assessor stops resting while anyone waits. Frames and assessments are shared, never copied: the
// lock is held to copy a few pointers. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <stop_token>
#include <vector>

#include "doorbell/capture/frame.hpp"
#include "doorbell/recognition/face_engine.hpp"

namespace doorbell::pipeline {

struct AssessedFrame {
  capture::FramePtr frame;
  std::shared_ptr<const recognition::Assessment> assessment;
  double score = 0;  // recognition::frame_score(): above 0 when a face passed the quality gate
};
using AssessedFramePtr = std::shared_ptr<const AssessedFrame>;

// `frame` assessed by `engine` and scored; `config` is the quality gate the score measures against.
AssessedFrame assess_frame(recognition::FaceAnalyser& engine, capture::FramePtr frame,
                           const RecognitionConfig& config);

class AssessedFrames {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  explicit AssessedFrames(std::size_t capacity);

  void push(AssessedFrame assessed);  // the assessor; wakes every waiting ring
  AssessedFramePtr latest() const;
  // Up to `count` newest frames captured in [since, until], oldest first.
  std::vector<AssessedFramePtr> captured_between(TimePoint since, TimePoint until, std::size_t count) const;
  // Frames captured after `time`, oldest first, once there are more than `have` of them — or what there
  // is at `deadline` or on stop. The assessor is hurried meanwhile.
  std::vector<AssessedFramePtr> wait_after(std::stop_token stop, TimePoint time, std::size_t have,
                                           TimePoint deadline);
  // The assessor between frames: rests until `until` unless a ring waits (false on stop).
  bool rest(std::stop_token stop, TimePoint until);
  bool hurried() const;

 private:
  std::vector<AssessedFramePtr> captured_after(TimePoint time) const;  // caller holds mutex_

  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  std::vector<AssessedFramePtr> slots_;
  std::size_t written_ = 0;
  int waiting_ = 0;  // rings waiting for newer frames
};

}  // namespace doorbell::pipeline
