#pragma once
// A face found in one frame: where, how usable (the quality gate), its descriptor once described, and the
// aligned chip it was described from. Value types.

#include <string>

#include "doorbell/common/image.hpp"
#include "doorbell/model/descriptor.hpp"

namespace doorbell::model {

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

}  // namespace doorbell::model
