// A network stream (rtsp://, http://: IP cameras and doorbells) or a video file, through FFmpeg.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "doorbell/common/url.hpp"
#include "sources.hpp"
#include "video_capture_source.hpp"

namespace doorbell::capture {
namespace {

constexpr int kStreamOpenMs = 10'000;
constexpr int kStreamStallMs = 5'000;

// FFmpeg's codec tag ("h264", "mjpe") as people call the codec; others as FFmpeg says them.
std::string codec_name(const std::string& tag) {
  if (tag == "h264" || tag == "avc1") return "H.264";
  if (tag == "hevc" || tag == "h265" || tag == "hvc1") return "H.265";
  if (tag == "mjpe" || tag == "MJPG") return "MJPEG";
  return tag;
}

class StreamSource final : public VideoCaptureSource {
 public:
  explicit StreamSource(CameraConfig config) : VideoCaptureSource(config.loop), config_(std::move(config)) {
    live_ = config_.source.find("://") != std::string::npos;  // a stream, not a file
    // OpenCV passes FFmpeg options only through this variable, read at each open; set here, while the
    // daemon starts and before its threads, unless the operator set it (then theirs is used).
    if (config_.source.starts_with("rtsp://") && config_.rtsp_transport == "udp")
      setenv("OPENCV_FFMPEG_CAPTURE_OPTIONS", "rtsp_transport;udp", 0);  // NOLINT(concurrency-mt-unsafe)
  }

  void open() override {
    const auto shown = without_password(config_.source);
    // A stream that stops sending without closing (a stalled camera) fails the read after kStreamStallMs
    // instead of holding the camera thread; one that does not answer fails the open after kStreamOpenMs.
    const std::vector<int> timeouts{cv::CAP_PROP_OPEN_TIMEOUT_MSEC, kStreamOpenMs,
                                    cv::CAP_PROP_READ_TIMEOUT_MSEC, kStreamStallMs};
    const bool opened = live_ ? capture_.open(config_.source, cv::CAP_FFMPEG, timeouts)
                              : capture_.open(config_.source, cv::CAP_ANY);
    if (!opened) throw std::runtime_error(fmt::format("cannot open camera source \"{}\"", shown));
    negotiated(live_ ? "stream" : "file");
    info_.format = codec_name(info_.format);
    spdlog::info("camera: {} sends {} {}x{} at {:g} fps", shown, info_.format, info_.width, info_.height,
                 info_.fps);
  }

 private:
  CameraConfig config_;
};

}  // namespace

std::unique_ptr<FrameSource> make_stream_source(const CameraConfig& config) {
  return std::make_unique<StreamSource>(config);
}

}  // namespace doorbell::capture
