#pragma once
// FrameSource: where the camera thread gets pictures — an image folder replayed in name order, or
// anything OpenCV's videoio opens (V4L2 device, video file, RTSP/HTTP stream). Used by one thread.

#include <memory>
#include <optional>
#include <string>

#include "doorbell/common/image.hpp"
#include "doorbell/config/config.hpp"

namespace doorbell::capture {

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  // Throws std::runtime_error saying why the source cannot be opened.
  virtual void open() = 0;
  // The next picture; empty when the source is lost or (without looping) ended.
  virtual std::optional<Image> read() = 0;
};

std::unique_ptr<FrameSource> make_frame_source(const CameraConfig& config);

}  // namespace doorbell::capture
