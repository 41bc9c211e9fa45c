#include "doorbell/capture/frame_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <opencv2/videoio.hpp>
#include <stdexcept>
#include <vector>

#include "doorbell/common/image_codec.hpp"
#include "doorbell/common/url.hpp"

namespace doorbell::capture {
namespace {

constexpr int kStreamOpenMs = 10'000;
constexpr int kStreamStallMs = 5'000;

// The images of a folder, in name order, listed again at every open (files may come and go).
class ImageFolderSource final : public FrameSource {
 public:
  ImageFolderSource(std::filesystem::path dir, bool loop) : dir_(std::move(dir)), loop_(loop) {}

  void open() override {
    files_.clear();
    next_ = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
      auto ext = entry.path().extension().string();
      std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
      if (entry.is_regular_file() && (ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp")) {
        files_.push_back(entry.path());
      }
    }
    if (ec)
      throw std::runtime_error(fmt::format("cannot read folder \"{}\": {}", dir_.string(), ec.message()));
    if (files_.empty()) throw std::runtime_error(fmt::format("no images in \"{}\"", dir_.string()));
    std::sort(files_.begin(), files_.end());
  }

  std::optional<Image> read() override {
    if (next_ == files_.size()) {
      if (!loop_ || files_.empty()) return std::nullopt;
      next_ = 0;
    }
    try {
      return read_image_file(files_[next_++]);
    } catch (const std::exception&) {
      return std::nullopt;  // removed or unreadable: the camera thread reopens the folder
    }
  }

 private:
  std::filesystem::path dir_;
  bool loop_;
  std::vector<std::filesystem::path> files_;
  std::size_t next_ = 0;
};

class VideoSource final : public FrameSource {
 public:
  explicit VideoSource(CameraConfig config) : config_(std::move(config)) {}

  void open() override {
    const auto& s = config_.source;
    const bool index =
        !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
    const bool device = index || s.starts_with("/dev/video");
    const bool stream = s.find("://") != std::string::npos;  // rtsp://, http://: a stream, not a file
    // A stream that stops sending without closing (a stalled camera) fails the read after kStreamStallMs
    // instead of holding the camera thread; one that does not answer fails the open after kStreamOpenMs.
    const std::vector<int> stream_timeouts{cv::CAP_PROP_OPEN_TIMEOUT_MSEC, kStreamOpenMs,
                                           cv::CAP_PROP_READ_TIMEOUT_MSEC, kStreamStallMs};
    const bool opened = index    ? capture_.open(std::stoi(s), cv::CAP_V4L2)
                        : stream ? capture_.open(s, cv::CAP_FFMPEG, stream_timeouts)
                                 : capture_.open(s, device ? cv::CAP_V4L2 : cv::CAP_ANY);
    if (!opened)
      throw std::runtime_error(fmt::format("cannot open camera source \"{}\"", without_password(s)));
    if (device) {
      capture_.set(cv::CAP_PROP_FRAME_WIDTH, config_.width);
      capture_.set(cv::CAP_PROP_FRAME_HEIGHT, config_.height);
      capture_.set(cv::CAP_PROP_FPS, config_.fps);
      capture_.set(cv::CAP_PROP_BUFFERSIZE, 1);  // where the driver allows it: one frame waiting at most
    }
    live_ = device || stream;
  }

  std::optional<Image> read() override {
    if (!capture_.read(mat_) || mat_.empty()) {
      if (!config_.loop || !capture_.set(cv::CAP_PROP_POS_FRAMES, 0) || !capture_.read(mat_) ||
          mat_.empty()) {
        return std::nullopt;
      }
    }
    return copied();
  }

  bool live() const noexcept override { return live_; }
  bool grab() override { return capture_.grab(); }
  std::optional<Image> retrieve() override {
    if (!capture_.retrieve(mat_) || mat_.empty()) return std::nullopt;
    return copied();
  }

 private:
  Image copied() const {
    Image image{mat_.cols, mat_.rows, {}};
    image.pixels.resize(static_cast<std::size_t>(mat_.cols) * static_cast<std::size_t>(mat_.rows) * 3);
    cv::Mat wrapped(mat_.rows, mat_.cols, CV_8UC3, image.pixels.data());
    mat_.copyTo(wrapped);
    return image;
  }

  CameraConfig config_;
  cv::VideoCapture capture_;
  cv::Mat mat_;
  bool live_ = false;
};

}  // namespace

std::unique_ptr<FrameSource> make_frame_source(const CameraConfig& config) {
  if (std::filesystem::is_directory(config.source)) {
    return std::make_unique<ImageFolderSource>(config.source, config.loop);
  }
  return std::make_unique<VideoSource>(config);
}

}  // namespace doorbell::capture
