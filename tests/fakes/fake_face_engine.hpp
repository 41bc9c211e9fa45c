#pragma once
// FakeFaceEngine: a FaceAnalyser without models. A frame's faces come from a table keyed by the value of
// its first byte (tests paint each frame with the number of the scene it shows), each with the box, quality
// and descriptor the table gives; describe() hands them back and counts what it was asked. One per thread,
// as the real engine; the table is shared and read-only.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "doorbell/recognition/face_engine.hpp"

namespace doorbell::testing {

// The faces each scene shows.
using FaceTable = std::map<std::uint8_t, std::vector<model::Face>>;

// A face the quality gate passed, `width` pixels wide, at `x`, with `descriptor`.
inline model::Face table_face(const model::Descriptor& descriptor, int x = 100, int width = 120) {
  model::Face f;
  f.box = {x, 100, width, width};
  f.quality.width_px = width;
  f.quality.sharpness = 200;
  f.descriptor = descriptor;
  return f;
}

class FakeFaceEngine final : public recognition::FaceAnalyser {
 public:
  explicit FakeFaceEngine(std::shared_ptr<const FaceTable> table) : table_(std::move(table)) {}

  recognition::Assessment assess(const ImageView& frame, recognition::Chips) override {
    recognition::Assessment out;
    if (frame.data != nullptr) {
      if (const auto it = table_->find(frame.data[0]); it != table_->end()) out.faces = it->second;
    }
    ++assessed;
    return out;
  }
  std::vector<std::vector<model::Face>> describe(
      std::span<const recognition::Assessment* const> assessments) override {
    std::vector<std::vector<model::Face>> out;
    for (const auto* a : assessments) out.push_back(a->faces);
    described += static_cast<int>(assessments.size());
    return out;
  }
  const recognition::StageTimings& last_timings() const noexcept override { return timings_; }

  std::atomic<int> assessed{0};   // frames
  std::atomic<int> described{0};  // frames' assessments

 private:
  std::shared_ptr<const FaceTable> table_;
  recognition::StageTimings timings_;
};

}  // namespace doorbell::testing
