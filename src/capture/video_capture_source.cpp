#include "video_capture_source.hpp"

#include <algorithm>
#include <cctype>

namespace doorbell::capture {

std::optional<Image> VideoCaptureSource::read() {
  if (!capture_.read(mat_) || mat_.empty()) {
    if (!loop_ || !capture_.set(cv::CAP_PROP_POS_FRAMES, 0) || !capture_.read(mat_) || mat_.empty()) {
      return std::nullopt;
    }
  }
  return copied();
}

std::optional<Image> VideoCaptureSource::retrieve() {
  if (!capture_.retrieve(mat_) || mat_.empty()) return std::nullopt;
  return copied();
}

std::string VideoCaptureSource::fourcc() const {
  const auto code = static_cast<unsigned>(capture_.get(cv::CAP_PROP_FOURCC));
  std::string text;
  for (int shift = 0; shift < 32; shift += 8) {
    const auto c = static_cast<char>((code >> shift) & 0xff);
    if (std::isprint(static_cast<unsigned char>(c)) && c != ' ') text += c;
  }
  return text;
}

void VideoCaptureSource::negotiated(const char* kind) {
  info_ = {kind, fourcc(), static_cast<int>(capture_.get(cv::CAP_PROP_FRAME_WIDTH)),
           static_cast<int>(capture_.get(cv::CAP_PROP_FRAME_HEIGHT)), capture_.get(cv::CAP_PROP_FPS)};
}

Image VideoCaptureSource::copied() const {
  Image image{mat_.cols, mat_.rows, {}};
  image.pixels.resize(static_cast<std::size_t>(mat_.cols) * static_cast<std::size_t>(mat_.rows) * 3);
  cv::Mat wrapped(mat_.rows, mat_.cols, CV_8UC3, image.pixels.data());
  mat_.copyTo(wrapped);
  return image;
}

}  // namespace doorbell::capture
