#pragma once
// FrameSource: where the camera thread gets pictures — an image folder replayed in name order, a V4L2
// device (USB webcam), a video file or RTSP/HTTP stream (FFmpeg), or libcamera (the Raspberry Pi Camera
// Module). Each negotiates what it can and says what it got. Used by one thread.

#include <memory>
#include <optional>
#include <string>

#include "doorbell/common/image.hpp"
#include "doorbell/config/config.hpp"

namespace doorbell::capture {

// What a source delivers, as negotiated with the device or stream (shown on the door page and logged).
struct SourceInfo {
  std::string kind;    // "folder", "v4l2", "stream", "file" or "libcamera"
  std::string format;  // what arrives: "MJPG", "YUYV", "h264", "BGR", "images"
  int width = 0;
  int height = 0;
  double fps = 0;  // what the device or stream says it sends; 0 when it does not say

  bool operator==(const SourceInfo&) const = default;
};

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  // Throws std::runtime_error saying why the source cannot be opened.
  virtual void open() = 0;
  // The next picture; empty when the source is lost or (without looping) ended.
  virtual std::optional<Image> read() = 0;
  // What the last open() negotiated.
  virtual SourceInfo info() const = 0;

  // A live source (a device, a network stream) produces frames whether or not they are read, and what
  // is not read waits in its buffers (the driver's, FFmpeg's) and grows old: the camera thread takes
  // every frame off it (grab) and decodes only the ones it keeps (retrieve), the newest.
  virtual bool live() const noexcept { return false; }
  virtual bool grab() { return true; }  // false when the source is lost
  virtual std::optional<Image> retrieve() { return read(); }
};

// Throws std::runtime_error when the source names something this build cannot open (libcamera without
// DOORBELL_WITH_LIBCAMERA).
std::unique_ptr<FrameSource> make_frame_source(const CameraConfig& config);

}  // namespace doorbell::capture
