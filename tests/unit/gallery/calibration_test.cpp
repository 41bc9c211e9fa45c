#include "doorbell/gallery/calibration.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doorbell::gallery {
namespace {

model::Descriptor at(float x, float y) {
  model::Descriptor d{};
  d[0] = x;
  d[1] = y;
  return d;
}

TEST(Calibration, SeparatesSameFromDifferentPairs) {
  // Same-person pairs are 0.2 apart, different-person pairs at least 1.0.
  const auto report = calibrate({{"ann", {at(0, 0), at(0.2f, 0)}}, {"bob", {at(0, 1.0f), at(0.2f, 1.0f)}}});
  EXPECT_EQ(report.people, 2u);
  EXPECT_EQ(report.faces, 4u);
  EXPECT_EQ(report.same.count, 2u);
  EXPECT_EQ(report.different.count, 4u);
  EXPECT_NEAR(report.same.max, 0.2, 1e-6);
  EXPECT_NEAR(report.different.min, 1.0, 1e-6);
  EXPECT_GE(report.threshold, 0.2);
  EXPECT_LT(report.threshold, 1.0);
  EXPECT_EQ(report.false_rejects, 0.0);
  EXPECT_EQ(report.false_accepts, 0.0);
  EXPECT_THAT(report.to_text(), ::testing::HasSubstr("best threshold"));
  EXPECT_EQ(report.to_json()["same_person"]["pairs"], 2);
}

TEST(Calibration, OverlapIsCountedAsErrors) {
  // ann's two faces are 0.8 apart; bob is 0.5 from ann's first face.
  const auto report = calibrate({{"ann", {at(0, 0), at(0.8f, 0)}}, {"bob", {at(0, 0.5f)}}});
  EXPECT_GT(report.false_rejects + report.false_accepts, 0.0);
}

}  // namespace
}  // namespace doorbell::gallery
