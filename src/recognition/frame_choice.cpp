#include "doorbell/recognition/frame_choice.hpp"

#include <algorithm>
#include <numeric>

namespace doorbell::recognition {

double frame_score(std::span<const model::Face> faces, double sharp_enough) {
  double score = 0;
  for (const auto& face : faces) {
    if (!face.quality.ok()) continue;
    const double sharp = sharp_enough > 0 ? std::min(1.0, face.quality.sharpness / sharp_enough) : 1.0;
    score += face.quality.width_px * sharp;
  }
  return score;
}

std::vector<std::size_t> best_frames(std::span<const double> scores, std::size_t count) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::erase_if(order, [&](std::size_t i) { return !(scores[i] > 0); });
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  if (order.size() > count) order.resize(count);
  std::sort(order.begin(), order.end());
  return order;
}

}  // namespace doorbell::recognition
