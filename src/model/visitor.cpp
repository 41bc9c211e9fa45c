#include "doorbell/model/visitor.hpp"

#include <limits>

namespace doorbell::model {

std::pair<std::size_t, double> nearest_visitor(std::span<const Visitor> clusters,
                                               const Descriptor& probe) noexcept {
  std::size_t nearest = clusters.size();
  double nearest_distance = std::numeric_limits<double>::infinity();
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    for (const auto& face : clusters[c].faces) {
      const double d = distance(face, probe);
      if (d < nearest_distance) {
        nearest_distance = d;
        nearest = c;
      }
    }
  }
  return {nearest, nearest_distance};
}

}  // namespace doorbell::model
