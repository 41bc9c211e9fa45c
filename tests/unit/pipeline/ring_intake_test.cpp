#include "doorbell/pipeline/ring_intake.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "doorbell/observability/metrics.hpp"

namespace doorbell::pipeline {
namespace {

using ::testing::HasSubstr;

TEST(RingIntake, HoldOffCoalescesAndAFullQueueRefusesEveryOutcomeCounted) {
  Metrics metrics;
  PipelineConfig config;
  config.hold_off_seconds = Seconds(3600);
  config.queue_capacity = 2;
  RingIntake intake(config, metrics.registry());
  EXPECT_EQ(intake.ring("gpio"), RingOutcome::accepted);
  EXPECT_EQ(intake.ring("gpio"), RingOutcome::coalesced);
  EXPECT_EQ(intake.ring("http"), RingOutcome::coalesced);
  EXPECT_EQ(intake.queue().stats().depth, 1u);
  const auto text = metrics.render();
  EXPECT_THAT(text, HasSubstr("doorbell_rings_total{outcome=\"accepted\",source=\"gpio\"} 1"));
  EXPECT_THAT(text, HasSubstr("doorbell_rings_total{outcome=\"coalesced\",source=\"gpio\"} 1"));
  EXPECT_THAT(text, HasSubstr("doorbell_rings_total{outcome=\"coalesced\",source=\"http\"} 1"));
}

TEST(RingIntake, WithoutHoldOffAFullQueueRefuses) {
  Metrics metrics;
  PipelineConfig config;
  config.hold_off_seconds = Seconds(0);
  config.queue_capacity = 2;
  RingIntake intake(config, metrics.registry());
  EXPECT_EQ(intake.ring("http"), RingOutcome::accepted);
  EXPECT_EQ(intake.ring("http"), RingOutcome::accepted);
  EXPECT_EQ(intake.ring("http"), RingOutcome::refused);
  const auto ring = intake.queue().try_pop();
  ASSERT_TRUE(ring.has_value());
  EXPECT_EQ(ring->source, "http");
  EXPECT_EQ(intake.ring("http"), RingOutcome::accepted) << "room again";
  EXPECT_THAT(metrics.render(), HasSubstr("doorbell_rings_total{outcome=\"refused\",source=\"http\"} 1"));
}

}  // namespace
}  // namespace doorbell::pipeline
