#include "doorbell/recognition/face_detector.hpp"

#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "bgr_view.hpp"
#include "model_files.hpp"

namespace doorbell::recognition {
namespace {

constexpr double kWindowPx = 80;  // the smallest face dlib's HOG detector finds: its 80x80 window

}  // namespace

struct FaceDetector::Impl {
  explicit Impl(const RecognitionConfig& c) : config(c), detector(frontal_face_detector()) {}

  // The region of interest as a view into the frame, and where it starts.
  ImageView region(const ImageView& frame, long& left, long& top) const {
    left = std::lround(config.roi_x * frame.width);
    top = std::lround(config.roi_y * frame.height);
    const long right =
        std::min<long>(frame.width, std::lround((config.roi_x + config.roi_width) * frame.width));
    const long bottom =
        std::min<long>(frame.height, std::lround((config.roi_y + config.roi_height) * frame.height));
    return {frame.data + top * static_cast<long>(frame.stride) + left * 3, static_cast<int>(right - left),
            static_cast<int>(bottom - top), frame.stride};
  }

  std::vector<dlib::rectangle> find(const BgrView& image) {
    // Faces narrower than min_face_px fail the quality gate anyway: scaled so that they fill the HOG
    // window, the frame has fewer pixels to scan (a 1280x720 frame with min_face_px 160 at half size).
    const double shrink = kWindowPx / config.min_face_px;
    if (config.upsample == 0 && shrink < 0.9) return find_shrunk(image, shrink);
    if (config.upsample == 0) return detector(image);
    dlib::matrix<dlib::rgb_pixel> larger;
    dlib::assign_image(larger, image);
    for (int i = 0; i < config.upsample; ++i) dlib::pyramid_up(larger);
    auto found = detector(larger);
    const double scale = std::pow(0.5, config.upsample);
    for (auto& r : found) r = dlib::scale_rect(r, scale);
    return found;
  }

  std::vector<dlib::rectangle> find_shrunk(const BgrView& image, double shrink) {
    const cv::Mat frame(image.view.height, image.view.width, CV_8UC3,
                        const_cast<std::uint8_t*>(image.view.data), image.view.stride);
    cv::resize(frame, shrunk, cv::Size(), shrink, shrink, cv::INTER_AREA);
    auto found = detector(BgrView{{shrunk.data, shrunk.cols, shrunk.rows, shrunk.step}});
    for (auto& r : found) r = dlib::scale_rect(r, 1 / shrink);
    return found;
  }

  const RecognitionConfig config;
  dlib::frontal_face_detector detector;
  cv::Mat shrunk;  // reused from frame to frame
};

FaceDetector::FaceDetector(const RecognitionConfig& config) : impl_(std::make_unique<Impl>(config)) {}
FaceDetector::~FaceDetector() = default;

std::vector<model::Box> FaceDetector::detect(const ImageView& frame) {
  long left = 0, top = 0;
  auto found = impl_->find(BgrView{impl_->region(frame, left, top)});
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.area() > b.area(); });
  std::vector<model::Box> boxes;
  boxes.reserve(found.size());
  for (const auto& r : found) {
    boxes.push_back({static_cast<int>(r.left() + left), static_cast<int>(r.top() + top),
                     static_cast<int>(r.width()), static_cast<int>(r.height())});
  }
  return boxes;
}

}  // namespace doorbell::recognition
