#pragma once
// Which frames of a ring are worth describing: a frame scores by the size and sharpness of the faces
// that passed the quality gate, and the best few are kept. Stateless; thread-safe.

#include <cstddef>
#include <span>
#include <vector>

#include "doorbell/model/face.hpp"

namespace doorbell::recognition {

// Sum over the faces that passed the gate of width_px × min(1, sharpness / sharp_enough): larger faces
// carry more detail, and sharpness beyond sharp_enough stops helping (noise raises it too). A frame
// without a usable face scores 0. sharp_enough <= 0 leaves sharpness out.
double frame_score(std::span<const model::Face> faces, double sharp_enough);

// Indices of at most `count` frames with a positive score, the best ones, in frame order.
// Equal scores keep the earlier frame.
std::vector<std::size_t> best_frames(std::span<const double> scores, std::size_t count);

}  // namespace doorbell::recognition
