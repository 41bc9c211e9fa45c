#include "doorbell/capture/motion_detector.hpp"

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
    : config_(motion), zone_(zone) {}

void MotionDetector::shrink(const ImageView& image) {
  const int height = std::max(1, static_cast<int>(std::lround(kWidth * static_cast<double>(image.height) /
                                                              std::max(1, image.width))));
  if (width_ != kWidth || height_ != height) {
    width_ = kWidth;
    height_ = height;
    grey_.assign(static_cast<std::size_t>(width_ * height_), 0);
    background_.clear();
  }
  const cv::Mat bgr(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.data), image.stride);
  cv::Mat small;
  cv::resize(bgr, small, cv::Size(width_, height_), 0, 0, cv::INTER_AREA);
  cv::Mat grey(height_, width_, CV_8UC1, grey_.data());
  cv::cvtColor(small, grey, cv::COLOR_BGR2GRAY);
}

Motion MotionDetector::feed(const ImageView& image) {
  shrink(image);
  const int x0 = static_cast<int>(zone_.roi_x * width_);
  const int y0 = static_cast<int>(zone_.roi_y * height_);
  const int x1 = std::max(x0 + 1, static_cast<int>(std::ceil((zone_.roi_x + zone_.roi_width) * width_)));
  const int y1 = std::max(y0 + 1, static_cast<int>(std::ceil((zone_.roi_y + zone_.roi_height) * height_)));
  if (background_.empty()) {
    background_.assign(grey_.begin(), grey_.end());
    return {};
  }
  // The zone's brightness, now and in the background: a change of the whole scene is taken out first.
  double now_sum = 0;
  double background_sum = 0;
  for (int y = y0; y < std::min(y1, height_); ++y) {
    for (int x = x0; x < std::min(x1, width_); ++x) {
      const auto i = static_cast<std::size_t>(y * width_ + x);
      now_sum += grey_[i];
      background_sum += background_[i];
    }
  }
  const int cells = (std::min(y1, height_) - y0) * (std::min(x1, width_) - x0);
  const auto offset = static_cast<float>((now_sum - background_sum) / cells);
  int changed = 0;
  for (int y = y0; y < std::min(y1, height_); ++y) {
    for (int x = x0; x < std::min(x1, width_); ++x) {
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
