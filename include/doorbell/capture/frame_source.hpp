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

  // A live source (a device, a network stream) produces frames whether or not they are read, and what
  // is not read waits in its buffers (the driver's, FFmpeg's) and grows old: the camera thread takes
  // every frame off it (grab) and decodes only the ones it keeps (retrieve), the newest.
  virtual bool live() const noexcept { return false; }
  virtual bool grab() { return true; }  // false when the source is lost
  virtual std::optional<Image> retrieve() { return read(); }
};

std::unique_ptr<FrameSource> make_frame_source(const CameraConfig& config);

}  // namespace doorbell::capture
