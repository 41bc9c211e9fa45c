#pragma once
// A camera picture turned and mirrored as the camera is mounted. Stateless.

#include "doorbell/common/image.hpp"

namespace doorbell::capture {

// Turns `image` by `rotation` degrees clockwise (0, 90, 180 or 270), then mirrors it left to right when
// `hflip`. In place for 180 degrees and mirroring; 90 and 270 write a new buffer. Nothing when 0 and false.
void orient(Image& image, int rotation, bool hflip);

}  // namespace doorbell::capture
