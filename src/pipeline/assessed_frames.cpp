#include "doorbell/pipeline/assessed_frames.hpp"

#include <algorithm>

#include "doorbell/recognition/frame_choice.hpp"

namespace doorbell::pipeline {

AssessedFrame assess_frame(recognition::FaceAnalyser& engine, capture::FramePtr frame,
                           const RecognitionConfig& config) {
  auto assessment = engine.assess(frame->image.view(), recognition::Chips::discard);
  const auto score = recognition::frame_score(assessment.faces, 2 * config.min_sharpness);
  return {std::move(frame), std::make_shared<const recognition::Assessment>(std::move(assessment)), score};
}

AssessedFrames::AssessedFrames(std::size_t capacity) : slots_(std::max<std::size_t>(capacity, 1)) {}

void AssessedFrames::push(AssessedFrame assessed) {
  auto shared = std::make_shared<const AssessedFrame>(std::move(assessed));
  {
    std::lock_guard lock(mutex_);
    std::swap(slots_[written_ % slots_.size()], shared);
    ++written_;
  }
  changed_.notify_all();
  // `shared` now holds the evicted one: its frame and chips are freed here, outside the lock.
}

AssessedFramePtr AssessedFrames::latest() const {
  std::lock_guard lock(mutex_);
  return written_ == 0 ? nullptr : slots_[(written_ - 1) % slots_.size()];
}

std::vector<AssessedFramePtr> AssessedFrames::captured_between(TimePoint since, TimePoint until,
                                                               std::size_t count) const {
  std::vector<AssessedFramePtr> out;
  std::lock_guard lock(mutex_);
  const auto held = std::min(slots_.size(), written_);
  for (std::size_t back = 1; back <= held && out.size() < count; ++back) {
    const auto& a = slots_[(written_ - back) % slots_.size()];
    if (a->frame->captured < since) break;  // older still: outside the window
    if (a->frame->captured <= until) out.push_back(a);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<AssessedFramePtr> AssessedFrames::captured_after(TimePoint time) const {
  std::vector<AssessedFramePtr> out;
  const auto held = std::min(slots_.size(), written_);
  for (std::size_t back = 1; back <= held; ++back) {
    const auto& a = slots_[(written_ - back) % slots_.size()];
    if (a->frame->captured <= time) break;
    out.push_back(a);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<AssessedFramePtr> AssessedFrames::wait_after(std::stop_token stop, TimePoint time,
                                                         std::size_t have, TimePoint deadline) {
  std::unique_lock lock(mutex_);
  ++waiting_;
  changed_.notify_all();  // the assessor stops resting
  changed_.wait_until(lock, stop, deadline, [&] { return captured_after(time).size() > have; });
  --waiting_;
  return captured_after(time);
}

bool AssessedFrames::rest(std::stop_token stop, TimePoint until) {
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, stop, until, [this] { return waiting_ > 0; });
  return !stop.stop_requested();
}

bool AssessedFrames::hurried() const {
  std::lock_guard lock(mutex_);
  return waiting_ > 0;
}

}  // namespace doorbell::pipeline
