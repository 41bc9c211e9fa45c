#include "doorbell/common/worker.hpp"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "doorbell/common/thread_priority.hpp"
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

// The thread's name (top -H, ps -L) and nice value, read by the body itself.
struct SeenByBody {
  std::string name;
  int nice = 0;
};

SeenByBody run_and_look(HealthRegistry& registry, const std::string& component, bool background) {
  SeenByBody seen;
  std::atomic<bool> looked{false};
  {
    Worker worker(registry.add(component), [&](std::stop_token stop, Component&) {
      if (background) lower_thread_priority();
      char name[16] = {};
      pthread_getname_np(pthread_self(), name, sizeof name);
      seen.name = name;
      seen.nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
      looked = true;
      while (!stop.stop_requested()) std::this_thread::sleep_for(1ms);
    });
    while (!looked) std::this_thread::sleep_for(1ms);
  }
  return seen;
}

TEST_F(WorkerTest, TheThreadIsNamedAfterItsComponentKeepingItsNumber) {
  EXPECT_EQ(run_and_look(registry, "camera", false).name, "camera");
  EXPECT_EQ(run_and_look(registry, "recognition_worker_12", false).name, "recognition_12");
}

TEST_F(WorkerTest, ABackgroundThreadYieldsAndTheOthersDoNot) {
  const int process = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  EXPECT_EQ(run_and_look(registry, "assessor", true).nice, std::min(19, process + 10));
  EXPECT_EQ(run_and_look(registry, "gate", false).nice, process) << "a new thread starts at the process's";
  EXPECT_EQ(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())), process) << "the caller is untouched";
}

}  // namespace
}  // namespace doorbell
