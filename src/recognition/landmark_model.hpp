#pragma once
// LandmarkModel: dlib's shape predictor (68 or 5 points, dlib's .dat format) in half the memory: each
// leaf's offsets kept as 16-bit integers with the leaf's own scale (an error of at most 1/65534 of its
// largest offset) in one block instead of 120,000 small matrices — 72 MB resident for the 68-point
// model becomes 35 MB. Predicts as dlib::shape_predictor does; on the portraits' 20 faces 92% of the
// points land on dlib's pixel, the rest within 2 px, and descriptors move by 0.004 on average (0.033 at
// most; a match needs under 0.6). Read-only once loaded: thread-safe. Internal to src/recognition.

#include <dlib/image_processing/full_object_detection.h>

#include <cstdint>
#include <istream>
#include <vector>

#include "bgr_view.hpp"

namespace doorbell::recognition {

class LandmarkModel {
 public:
  // Reads a serialised dlib::shape_predictor, tree by tree (never the whole model at full size);
  // throws dlib::serialization_error.
  explicit LandmarkModel(std::istream& in);

  unsigned long num_parts() const noexcept { return static_cast<unsigned long>(initial_shape_.size()) / 2; }
  dlib::full_object_detection operator()(const BgrView& image, const dlib::rectangle& box) const;

 private:
  struct Split {
    std::uint32_t idx1, idx2;  // feature pixels compared
    float thresh;
  };
  struct Cascade {
    std::size_t first_tree = 0, trees = 0;
    std::vector<unsigned long> anchor_idx;       // where each feature pixel sits: near this shape point,
    std::vector<dlib::vector<float, 2>> deltas;  // offset by this
  };
  void read_forests(std::istream& in);

  dlib::matrix<float, 0, 1> initial_shape_;
  std::vector<Cascade> cascades_;
  std::vector<std::size_t> first_split_;  // per tree, and one past the last: a tree's splits
  std::vector<Split> splits_;             // every tree's, tree after tree, breadth first
  std::vector<float> scales_;             // per leaf; a tree's leaves follow its splits' count
  std::vector<std::int16_t> offsets_;     // per leaf, initial_shape_.size() each
};

}  // namespace doorbell::recognition
