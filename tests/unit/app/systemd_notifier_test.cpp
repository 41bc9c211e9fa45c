#include "doorbell/app/systemd_notifier.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>

#include "doorbell/common/worker.hpp"
#include "fakes/fake_clock.hpp"
#include "support/notify_socket.hpp"

namespace doorbell {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// Each test runs in its own process (gtest_discover_tests), so the environment is the test's own.
class SystemdNotifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("NOTIFY_SOCKET", socket.path().c_str(), 1);
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
  }
  void TearDown() override { ::unsetenv("NOTIFY_SOCKET"); }

  testing::NotifySocket socket;
  testing::FakeClock clock;
  HealthRegistry health{clock};
};

TEST_F(SystemdNotifierTest, ReadyOnlyOnceEveryComponentIsReadyWithStatusNamingWhatIsNot) {
  health.add("http").set_ready();
  auto& camera = health.add("camera");
  camera.set_not_ready("no frames from /dev/video0");
  SystemdNotifier notifier(health, clock);
  EXPECT_FALSE(notifier.watchdog_interval().has_value());

  notifier.update();
  const auto first = socket.receive(1s);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(*first, "STATUS=not ready: camera: not_ready (no frames from /dev/video0)");
  notifier.update();
  EXPECT_FALSE(socket.receive(100ms).has_value()) << "an unchanged status is not repeated";

  camera.set_ready();
  notifier.update();
  EXPECT_EQ(socket.receive(1s), "READY=1\nSTATUS=ready");
  notifier.update();
  EXPECT_FALSE(socket.receive(100ms).has_value()) << "READY=1 is sent once";

  camera.set_not_ready("camera lost");
  notifier.update();
  EXPECT_EQ(socket.receive(1s), "STATUS=not ready: camera: not_ready (camera lost)");
  notifier.stopping();
  EXPECT_EQ(socket.receive(1s), "STOPPING=1\nSTATUS=stopping");
}

TEST_F(SystemdNotifierTest, FeedsTheWatchdogAtHalfItsIntervalAndStopsWhileAWorkerIsDead) {
  ::setenv("WATCHDOG_USEC", "2000000", 1);
  auto& component = health.add("worker");
  component.set_ready();
  SystemdNotifier notifier(health, clock);
  ASSERT_EQ(notifier.watchdog_interval(), std::chrono::microseconds(2'000'000));
  EXPECT_EQ(notifier.tick(1000ms), 500ms);
  EXPECT_EQ(notifier.tick(200ms), 200ms);

  notifier.update();
  EXPECT_EQ(socket.receive(1s), "READY=1\nSTATUS=ready");
  EXPECT_EQ(socket.receive(1s), "WATCHDOG=1");
  clock.advance(900ms);
  notifier.update();
  EXPECT_FALSE(socket.receive(100ms).has_value()) << "not yet half the interval";
  clock.advance(200ms);
  notifier.update();
  EXPECT_EQ(socket.receive(1s), "WATCHDOG=1");

  {  // A real worker whose body throws: its component is marked failed.
    Worker dead(component, [](std::stop_token, Component&) { throw std::runtime_error("boom"); });
  }
  ASSERT_EQ(component.snapshot().state, ComponentState::failed);
  for (int i = 0; i < 5; ++i) {
    clock.advance(1100ms);
    notifier.update();
  }
  std::string seen;
  EXPECT_FALSE(socket.wait_for("WATCHDOG=1", 300ms, &seen).has_value()) << seen;
  EXPECT_THAT(seen, HasSubstr("STATUS=not ready: worker: failed (boom)"));
}

TEST_F(SystemdNotifierTest, OutsideSystemdNothingIsSentAndNothingFails) {
  ::unsetenv("NOTIFY_SOCKET");
  ::setenv("WATCHDOG_USEC", "2000000", 1);
  ::setenv("WATCHDOG_PID", "1", 1);  // the watchdog is meant for another process
  health.add("http").set_ready();
  SystemdNotifier notifier(health, clock);
  EXPECT_FALSE(notifier.watchdog_interval().has_value());
  EXPECT_EQ(notifier.tick(1000ms), 1000ms);
  notifier.update();
  notifier.stopping();
  EXPECT_FALSE(socket.receive(100ms).has_value());
}

}  // namespace
}  // namespace doorbell
