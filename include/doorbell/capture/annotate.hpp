#pragma once
// Draws face boxes with their labels on a copy of a frame and encodes it as JPEG, and crops one face
// out of a frame as a small JPEG (OpenCV). Stateless.

#include <cstdint>
#include <string>
#include <vector>

#include "doorbell/common/image.hpp"
#include "doorbell/model/face.hpp"

namespace doorbell::capture {

enum class LabelColour { known, blacklisted, unknown };

struct BoxLabel {
  model::Box box;
  std::string text;
  LabelColour colour = LabelColour::unknown;
};

std::vector<std::uint8_t> annotated_jpeg(const Image& frame, const std::vector<BoxLabel>& labels,
                                         int quality = 85);

// The face in `box` with a quarter of its size around it, clipped to the frame, scaled down to at most
// `side` pixels square: the picture the app shows of a face seen at the door (~5 kB).
std::vector<std::uint8_t> face_crop_jpeg(const Image& frame, const model::Box& box, int side = 160,
                                         int quality = 85);

}  // namespace doorbell::capture
