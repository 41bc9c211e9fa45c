#include "landmark_model.hpp"

#include <dlib/image_processing/shape_predictor.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace doorbell::recognition {

LandmarkModel::LandmarkModel(std::istream& in) {
  int version = 0;
  dlib::deserialize(version, in);
  if (version != 1)
    throw dlib::serialization_error("not a dlib shape_predictor (version " + std::to_string(version) + ")");
  dlib::deserialize(initial_shape_, in);
  read_forests(in);
  std::vector<std::vector<unsigned long>> anchor_idx;
  std::vector<std::vector<dlib::vector<float, 2>>> deltas;
  dlib::deserialize(anchor_idx, in);
  dlib::deserialize(deltas, in);
  if (anchor_idx.size() != cascades_.size() || deltas.size() != cascades_.size())
    throw dlib::serialization_error("shape_predictor: the feature pixels do not match the cascades");
  for (std::size_t c = 0; c < cascades_.size(); ++c) {
    cascades_[c].anchor_idx = std::move(anchor_idx[c]);
    cascades_[c].deltas = std::move(deltas[c]);
  }
}

// The forests as dlib serialises them (a vector per cascade of regression trees), each tree converted
// as soon as it is read.
void LandmarkModel::read_forests(std::istream& in) {
  const auto dims = static_cast<std::size_t>(initial_shape_.size());
  unsigned long cascades = 0;
  dlib::deserialize(cascades, in);
  cascades_.resize(cascades);
  first_split_.push_back(0);
  dlib::impl::regression_tree tree;
  for (auto& cascade : cascades_) {
    unsigned long trees = 0;
    dlib::deserialize(trees, in);
    cascade.first_tree = first_split_.size() - 1;
    cascade.trees = trees;
    for (unsigned long t = 0; t < trees; ++t) {
      deserialize(tree, in);  // dlib::impl::regression_tree's own, found by argument-dependent lookup
      if (tree.leaf_values.size() != tree.splits.size() + 1)
        throw dlib::serialization_error("shape_predictor: a regression tree is not complete");
      for (const auto& s : tree.splits) {
        splits_.push_back({static_cast<std::uint32_t>(s.idx1), static_cast<std::uint32_t>(s.idx2), s.thresh});
      }
      first_split_.push_back(splits_.size());
      for (const auto& leaf : tree.leaf_values) {
        if (static_cast<std::size_t>(leaf.size()) != dims)
          throw dlib::serialization_error("shape_predictor: a leaf does not match the shape");
        const float largest = dlib::max(dlib::abs(leaf));
        const float scale = largest / std::numeric_limits<std::int16_t>::max();
        scales_.push_back(scale);
        for (const float v : leaf) {
          offsets_.push_back(scale == 0 ? std::int16_t{0}
                                        : static_cast<std::int16_t>(std::lround(v / scale)));
        }
      }
    }
  }
}

dlib::full_object_detection LandmarkModel::operator()(const BgrView& image,
                                                      const dlib::rectangle& box) const {
  const auto dims = static_cast<std::size_t>(initial_shape_.size());
  dlib::matrix<float, 0, 1> shape = initial_shape_;
  std::vector<float> pixels;
  for (const auto& cascade : cascades_) {
    dlib::impl::extract_feature_pixel_values(image, box, shape, initial_shape_, cascade.anchor_idx,
                                             cascade.deltas, pixels);
    for (std::size_t t = cascade.first_tree; t < cascade.first_tree + cascade.trees; ++t) {
      const Split* splits = splits_.data() + first_split_[t];
      const std::size_t count = first_split_[t + 1] - first_split_[t];
      std::size_t i = 0;
      while (i < count)
        i = pixels[splits[i].idx1] - pixels[splits[i].idx2] > splits[i].thresh ? 2 * i + 1 : 2 * i + 2;
      const std::size_t leaf =
          first_split_[t] + t + (i - count);  // tree t has first_split_[t] + t leaves before it
      const float scale = scales_[leaf];
      const std::int16_t* offsets = offsets_.data() + leaf * dims;
      for (std::size_t d = 0; d < dims; ++d) {
        // Two statements: clang fuses a multiply-add within one expression on arm64 (not on x86-64),
        // which rounds differently, and a split downstream can turn on the last bit.
        const float offset = scale * static_cast<float>(offsets[d]);
        shape(static_cast<long>(d)) += offset;
      }
    }
  }
  const auto to_image = dlib::impl::unnormalizing_tform(box);
  std::vector<dlib::point> parts(num_parts());
  for (unsigned long p = 0; p < parts.size(); ++p) parts[p] = to_image(dlib::impl::location(shape, p));
  return dlib::full_object_detection(box, parts);
}

}  // namespace doorbell::recognition
