#include "doorbell/common/health.hpp"

#include <gtest/gtest.h>

#include "fakes/fake_clock.hpp"

namespace doorbell {
namespace {

using namespace std::chrono_literals;

class HealthTest : public ::testing::Test {
 protected:
  testing::FakeClock clock;
  HealthRegistry registry{clock};
};

TEST_F(HealthTest, StartingComponentsAreAliveButNotReady) {
  registry.add("camera", 5s);
  EXPECT_TRUE(registry.liveness().ok);
  const auto ready = registry.readiness();
  EXPECT_FALSE(ready.ok);
  ASSERT_EQ(ready.components.size(), 1u);
  EXPECT_EQ(ready.components[0].name, "camera");
  EXPECT_EQ(ready.components[0].state, ComponentState::starting);
}

TEST_F(HealthTest, ReadyWhenEveryComponentIsReadyAndFresh) {
  auto& camera = registry.add("camera", 5s);
  auto& http = registry.add("http");
  camera.set_ready();
  EXPECT_FALSE(registry.readiness().ok) << "http is still starting";
  http.set_ready();
  EXPECT_TRUE(registry.readiness().ok);
}

TEST_F(HealthTest, ADegradedComponentIsStillReadyAndSaysWhatItLacks) {
  auto& storage = registry.add("storage", 5s);
  storage.set_degraded("the shared database cannot be reached");
  auto ready = registry.readiness();
  EXPECT_TRUE(ready.ok);
  EXPECT_EQ(ready.components[0].state, ComponentState::degraded);
  EXPECT_EQ(ready.components[0].detail, "the shared database cannot be reached");
  EXPECT_STREQ(to_string(ComponentState::degraded), "degraded");
  clock.advance(6s);
  EXPECT_FALSE(registry.readiness().ok) << "a degraded component still keeps its heartbeat";
  storage.beat();
  storage.set_not_ready("disk full");
  EXPECT_FALSE(registry.readiness().ok);
}

TEST_F(HealthTest, StaleHeartbeatMakesNotReadyAndABeatRestoresIt) {
  auto& camera = registry.add("camera", 5s);
  camera.set_ready();
  clock.advance(5s);
  EXPECT_TRUE(registry.readiness().ok) << "exactly at the limit is still fresh";
  clock.advance(1ms);
  const auto stale = registry.readiness();
  EXPECT_FALSE(stale.ok);
  EXPECT_FALSE(stale.components[0].fresh);
  EXPECT_NEAR(stale.components[0].heartbeat_age_seconds, 5.001, 1e-9);
  EXPECT_TRUE(registry.liveness().ok) << "a slow component is not a dead one";
  camera.beat();
  EXPECT_TRUE(registry.readiness().ok);
}

TEST_F(HealthTest, ComponentsWithoutHeartbeatNeverGoStale) {
  auto& http = registry.add("http");
  http.set_ready();
  clock.advance(24h);
  const auto report = registry.readiness();
  EXPECT_TRUE(report.ok);
  EXPECT_LT(report.components[0].heartbeat_age_seconds, 0);
}

TEST_F(HealthTest, FailedComponentIsUnhealthyAndCounted) {
  auto& worker = registry.add("worker", 5s);
  worker.set_ready();
  worker.set_failed("boom");
  const auto live = registry.liveness();
  EXPECT_FALSE(live.ok);
  EXPECT_EQ(live.components[0].state, ComponentState::failed);
  EXPECT_EQ(live.components[0].detail, "boom");
  EXPECT_EQ(live.components[0].failures, 1u);
  EXPECT_FALSE(registry.readiness().ok);
}

TEST_F(HealthTest, NotReadyCarriesItsReasonAndStoppedIsStillAlive) {
  auto& camera = registry.add("camera", 5s);
  camera.set_not_ready("device unplugged");
  EXPECT_EQ(registry.readiness().components[0].detail, "device unplugged");
  camera.set_stopped();
  EXPECT_TRUE(registry.liveness().ok);
  EXPECT_FALSE(registry.readiness().ok);
  EXPECT_STREQ(to_string(ComponentState::stopped), "stopped");
}

}  // namespace
}  // namespace doorbell
