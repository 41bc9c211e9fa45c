#pragma once
// Visitor: a familiar face — a cluster of the unknown faces seen at the door that look alike ("Visitor 7,
// seen 5 times"), which the household may ignore (the postman), split, merge or name. A value type and a
// pure function.

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "doorbell/model/descriptor.hpp"
#include "doorbell/model/face_outcome.hpp"

namespace doorbell::model {

struct Visitor {
  VisitorId id = 0;
  bool ignored = false;
  bool separate = false;  // split off by the household: never merged automatically
  std::int64_t seen = 0;  // events it was seen in
  std::vector<Descriptor> faces;
};

// The cluster with the face nearest to `probe` (its index; clusters.size() when there is none) and that
// distance.
std::pair<std::size_t, double> nearest_visitor(std::span<const Visitor> clusters,
                                               const Descriptor& probe) noexcept;

}  // namespace doorbell::model
