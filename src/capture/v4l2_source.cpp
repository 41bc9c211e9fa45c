// A V4L2 device (a USB webcam): MJPEG asked first — a USB 2 camera carries 1280x720 at 30 fps as MJPEG
// but not as raw YUYV — then YUYV; what the device granted is logged and reported.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "sources.hpp"
#include "video_capture_source.hpp"

namespace doorbell::capture {
namespace {

class V4l2Source final : public VideoCaptureSource {
 public:
  explicit V4l2Source(CameraConfig config) : VideoCaptureSource(false), config_(std::move(config)) {
    live_ = true;
  }

  void open() override {
    const auto& s = config_.source;
    const bool index = std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
    if (!(index ? capture_.open(std::stoi(s), cv::CAP_V4L2) : capture_.open(s, cv::CAP_V4L2)))
      throw std::runtime_error(fmt::format("cannot open camera device \"{}\"", s));
    for (const char* format : {"MJPG", "YUYV"}) {
      capture_.set(cv::CAP_PROP_FOURCC, cv::VideoWriter::fourcc(format[0], format[1], format[2], format[3]));
      if (fourcc() == format) break;
    }
    capture_.set(cv::CAP_PROP_FRAME_WIDTH, config_.width);
    capture_.set(cv::CAP_PROP_FRAME_HEIGHT, config_.height);
    capture_.set(cv::CAP_PROP_FPS, config_.fps);
    capture_.set(cv::CAP_PROP_BUFFERSIZE, 1);  // where the driver allows it: one frame waiting at most
    negotiated("v4l2");
    spdlog::info("camera: {} gives {} {}x{} at {:g} fps (asked for {}x{} at {:g} fps)", s, info_.format,
                 info_.width, info_.height, info_.fps, config_.width, config_.height, config_.fps);
  }

 private:
  CameraConfig config_;
};

}  // namespace

std::unique_ptr<FrameSource> make_v4l2_source(const CameraConfig& config) {
  return std::make_unique<V4l2Source>(config);
}

}  // namespace doorbell::capture
