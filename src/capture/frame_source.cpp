#include "doorbell/capture/frame_source.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "sources.hpp"

namespace doorbell::capture {

std::unique_ptr<FrameSource> make_frame_source(const CameraConfig& config) {
  const auto& s = config.source;
  if (config.libcamera()) return make_libcamera_source(config);
  if (std::filesystem::is_directory(s)) return make_folder_source(config);
  const bool index =
      !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
  if (index || s.starts_with("/dev/video")) return make_v4l2_source(config);
  return make_stream_source(config);
}

}  // namespace doorbell::capture
