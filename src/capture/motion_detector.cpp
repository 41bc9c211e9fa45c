#include "doorbell/capture/motion_detector.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace doorbell::capture {
namespace {

constexpr int kWidth = 80;              // of the small grey copy
constexpr double kLightingShare = 0.6;  // of the zone changed at once: lighting, not someone
constexpr float kLearnStill = 0.05F;    // how fast the background follows a still scene, per frame
constexpr float kLearnMoving = 0.01F;   // and while something moves (so a visitor is not learnt away)

}  // namespace

MotionDetector::MotionDetector(const MotionConfig& motion, const RecognitionConfig& zone)
    : config_(motion), roi_(zone) {}

void MotionDetector::shrink(const ImageView& image) {
  const int height = std::max(1, static_cast<int>(std::lround(kWidth * static_cast<double>(image.height) /
                                                              std::max(1, image.width))));
  if (width_ != kWidth || height_ != height) {
    width_ = kWidth;
    height_ = height;
    grey_.assign(static_cast<std::size_t>(width_ * height_), 0);
    background_.clear();
    small_.assign(grey_.size() * 3, 0);
    x0_ = std::min(width_ - 1, static_cast<int>(roi_.roi_x * width_));
    y0_ = std::min(height_ - 1, static_cast<int>(roi_.roi_y * height_));
    x1_ = std::clamp(static_cast<int>(std::ceil((roi_.roi_x + roi_.roi_width) * width_)), x0_ + 1, width_);
    y1_ = std::clamp(static_cast<int>(std::ceil((roi_.roi_y + roi_.roi_height) * height_)), y0_ + 1, height_);
  }
  const cv::Mat bgr(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.data), image.stride);
  cv::Mat small(height_, width_, CV_8UC3, small_.data());  // written in place: no allocation per frame
  cv::resize(bgr, small, small.size(), 0, 0, cv::INTER_AREA);
  cv::Mat grey(height_, width_, CV_8UC1, grey_.data());
  cv::cvtColor(small, grey, cv::COLOR_BGR2GRAY);
}

Motion MotionDetector::feed(const ImageView& image) {
  shrink(image);
  if (background_.empty()) {
    background_.assign(grey_.begin(), grey_.end());
    return {};
  }
  // The zone's brightness, now and in the background: a change of the whole scene is taken out first.
  double now_sum = 0;
  double background_sum = 0;
  for (int y = y0_; y < y1_; ++y) {
    for (int x = x0_; x < x1_; ++x) {
      const auto i = static_cast<std::size_t>(y * width_ + x);
      now_sum += grey_[i];
      background_sum += background_[i];
    }
  }
  const int cells = (x1_ - x0_) * (y1_ - y0_);
  const auto offset = static_cast<float>((now_sum - background_sum) / cells);
  int changed = 0;
  for (int y = y0_; y < y1_; ++y) {
    for (int x = x0_; x < x1_; ++x) {
      const auto i = static_cast<std::size_t>(y * width_ + x);
      if (std::fabs(static_cast<float>(grey_[i]) - background_[i] - offset) > config_.threshold) ++changed;
    }
  }
  Motion motion;
  motion.changed = static_cast<double>(changed) / cells;
  motion.lighting = motion.changed >= kLightingShare;
  motion.moving = !motion.lighting && motion.changed >= config_.min_area;
  if (motion.lighting) {
    background_.assign(grey_.begin(), grey_.end());
  } else {
    const float learn = motion.moving ? kLearnMoving : kLearnStill;
    for (std::size_t i = 0; i < grey_.size(); ++i) background_[i] += learn * (grey_[i] - background_[i]);
  }
  return motion;
}

}  // namespace doorbell::capture
