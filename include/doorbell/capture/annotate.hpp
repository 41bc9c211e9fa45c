#pragma once
// Draws face boxes with their labels on a copy of a frame and encodes it as JPEG (OpenCV). Stateless.

#include <cstdint>
#include <string>
#include <vector>

#include "doorbell/common/image.hpp"
#include "doorbell/recognition/face.hpp"

namespace doorbell::capture {

enum class LabelColour { known, blacklisted, unknown };

struct BoxLabel {
  recognition::Box box;
  std::string text;
  LabelColour colour = LabelColour::unknown;
};

std::vector<std::uint8_t> annotated_jpeg(const Image& frame, const std::vector<BoxLabel>& labels,
                                         int quality = 85);

}  // namespace doorbell::capture
