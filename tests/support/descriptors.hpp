#pragma once
// Hand-made face descriptors for tests without models: person `who` on an axis of their own, `length`
// from the origin (two people length·√2 apart), a view of them `spread` off it.

#include <cstddef>

#include "doorbell/model/descriptor.hpp"

namespace doorbell::testing {

inline model::Descriptor descriptor_of(int who, float spread = 0.0f, float length = 0.8f) {
  model::Descriptor d{};
  d[static_cast<std::size_t>(who)] = length;
  d[127] = spread;
  return d;
}

}  // namespace doorbell::testing
