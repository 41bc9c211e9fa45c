#pragma once
// What recognition says about one face in one frame. Value types.

#include <array>
#include <string>

#include "doorbell/common/image.hpp"

namespace doorbell::recognition {

inline constexpr int kDescriptorSize = 128;
using Descriptor = std::array<float, kDescriptorSize>;

struct Box {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

struct Quality {
  double width_px = 0;   // of the detection box
  double sharpness = 0;  // variance of the Laplacian of the aligned 150x150 face
  double yaw = 0;        // 0 frontal .. 1 profile, from the landmarks
  std::string problem;   // empty when the face passed the gate, else why not ("too small", ...)
  bool ok() const { return problem.empty(); }
};

struct Face {
  Box box;
  Quality quality;
  Descriptor descriptor{};  // computed only for faces that passed the quality gate
  Image chip;               // the aligned 150x150 face, when asked for
};

// Milliseconds spent in each stage of the last analyze() call.
struct StageTimings {
  double detect_ms = 0;
  double landmarks_ms = 0;
  double chip_ms = 0;
  double descriptor_ms = 0;
};

}  // namespace doorbell::recognition
