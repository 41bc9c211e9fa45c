#include "doorbell/recognition/frame_choice.hpp"

#include <gtest/gtest.h>

namespace doorbell::recognition {
namespace {

model::Face face(double width, double sharpness, std::string problem = {}) {
  model::Face f;
  f.quality.width_px = width;
  f.quality.sharpness = sharpness;
  f.quality.problem = std::move(problem);
  return f;
}

TEST(FrameScore, LargerAndSharperFacesScoreHigherUntilSharpEnough) {
  const std::vector<model::Face> small{face(100, 200)};
  const std::vector<model::Face> large{face(150, 200)};
  const std::vector<model::Face> blurred{face(150, 50)};
  const std::vector<model::Face> very_sharp{face(150, 900)};
  EXPECT_GT(frame_score(large, 200), frame_score(small, 200));
  EXPECT_GT(frame_score(large, 200), frame_score(blurred, 200));
  EXPECT_DOUBLE_EQ(frame_score(very_sharp, 200), frame_score(large, 200));
  EXPECT_DOUBLE_EQ(frame_score(blurred, 0), 150);
}

TEST(FrameScore, OnlyFacesThatPassedTheGateCount) {
  const std::vector<model::Face> two{face(100, 300), face(80, 300, "too small")};
  EXPECT_DOUBLE_EQ(frame_score(two, 300), 100);
  const std::vector<model::Face> rejected{face(200, 300, "not frontal")};
  EXPECT_EQ(frame_score(rejected, 300), 0);
  EXPECT_EQ(frame_score({}, 300), 0);
}

TEST(BestFrames, KeepsTheBestInFrameOrderAndSkipsFramesWithoutFaces) {
  const std::vector<double> scores{10, 0, 50, 30, 50, 20};
  EXPECT_EQ(best_frames(scores, 3), (std::vector<std::size_t>{2, 3, 4}));
  EXPECT_EQ(best_frames(scores, 1), (std::vector<std::size_t>{2}));  // a tie keeps the earlier frame
  EXPECT_EQ(best_frames(scores, 10), (std::vector<std::size_t>{0, 2, 3, 4, 5}));
  EXPECT_TRUE(best_frames(std::vector<double>{0, 0}, 2).empty());
  EXPECT_TRUE(best_frames({}, 2).empty());
}

}  // namespace
}  // namespace doorbell::recognition
