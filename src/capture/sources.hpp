#pragma once
// The camera sources, one per kind of hardware, each in its own file; make_frame_source picks one.

#include <memory>

#include "doorbell/capture/frame_source.hpp"

namespace doorbell::capture {

std::unique_ptr<FrameSource> make_folder_source(const CameraConfig& config);     // a folder of images
std::unique_ptr<FrameSource> make_v4l2_source(const CameraConfig& config);       // 0, /dev/video0
std::unique_ptr<FrameSource> make_stream_source(const CameraConfig& config);     // rtsp://, http://, a file
std::unique_ptr<FrameSource> make_libcamera_source(const CameraConfig& config);  // libcamera[:id]

}  // namespace doorbell::capture
