#pragma once
// VideoCaptureSource: what the sources OpenCV's videoio opens (V4L2, FFmpeg) share — reading, grabbing
// and decoding into an Image. Subclasses open the capture their way. Used by one thread.

#include <opencv2/videoio.hpp>

#include "doorbell/capture/frame_source.hpp"

namespace doorbell::capture {

class VideoCaptureSource : public FrameSource {
 public:
  std::optional<Image> read() override;
  SourceInfo info() const override { return info_; }
  bool live() const noexcept override { return live_; }
  bool grab() override { return capture_.grab(); }
  std::optional<Image> retrieve() override;

 protected:
  explicit VideoCaptureSource(bool loop) : loop_(loop) {}
  // The codec or pixel format the capture reports (CAP_PROP_FOURCC) as text: "MJPG", "h264".
  std::string fourcc() const;
  // info_ from what the opened capture reports.
  void negotiated(const char* kind);

  cv::VideoCapture capture_;
  SourceInfo info_;
  bool live_ = false;

 private:
  Image copied() const;

  bool loop_;
  cv::Mat mat_;
};

}  // namespace doorbell::capture
