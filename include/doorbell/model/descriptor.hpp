#pragma once
// A face as numbers: its 128-D descriptor (dlib's ResNet), the distance between two, and where a face is
// in a frame. Value types and a pure function.

#include <array>

namespace doorbell::model {

inline constexpr int kDescriptorSize = 128;
using Descriptor = std::array<float, kDescriptorSize>;

// Euclidean distance between two descriptors (vectorised without -ffast-math).
double distance(const Descriptor& a, const Descriptor& b) noexcept;
// Its square, for loops that only compare: `a` and `b` point at kDescriptorSize floats each.
float squared_distance(const float* a, const float* b) noexcept;

// A face's box in its frame, in pixels.
struct Box {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

}  // namespace doorbell::model
