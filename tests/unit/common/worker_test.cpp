#include "doorbell/common/worker.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "fakes/fake_clock.hpp"

namespace doorbell {
namespace {

using namespace std::chrono_literals;

ComponentState wait_for_state(const Component& c, ComponentState want) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (c.snapshot().state != want && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1ms);
  return c.snapshot().state;
}

class WorkerTest : public ::testing::Test {
 protected:
  testing::FakeClock clock;
  HealthRegistry registry{clock};
};

TEST_F(WorkerTest, StopRequestEndsTheBodyAndMarksItStopped) {
  auto& c = registry.add("w");
  {
    Worker worker(c, [](std::stop_token stop, Component& self) {
      self.set_ready();
      while (!stop.stop_requested()) std::this_thread::sleep_for(1ms);
    });
    EXPECT_EQ(wait_for_state(c, ComponentState::ready), ComponentState::ready);
  }  // destructor requests stop and joins
  EXPECT_EQ(c.snapshot().state, ComponentState::stopped);
  EXPECT_TRUE(registry.liveness().ok);
}

TEST_F(WorkerTest, ThrowingBodyFailsTheComponentAndHealth) {
  auto& c = registry.add("w");
  Worker worker(c, [](std::stop_token, Component&) { throw std::runtime_error("camera exploded"); });
  EXPECT_EQ(wait_for_state(c, ComponentState::failed), ComponentState::failed);
  const auto live = registry.liveness();
  EXPECT_FALSE(live.ok);
  EXPECT_EQ(live.components[0].detail, "camera exploded");
  EXPECT_EQ(live.components[0].failures, 1u);
}

TEST_F(WorkerTest, ReturningWithoutStopRequestIsAFailure) {
  auto& c = registry.add("w");
  Worker worker(c, [](std::stop_token, Component&) {});
  EXPECT_EQ(wait_for_state(c, ComponentState::failed), ComponentState::failed);
  EXPECT_EQ(c.snapshot().detail, "stopped unexpectedly");
}

}  // namespace
}  // namespace doorbell
