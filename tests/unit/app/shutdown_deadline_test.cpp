#include "doorbell/app/shutdown_deadline.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "doorbell/observability/logging.hpp"

namespace doorbell {
namespace {

using namespace std::chrono_literals;

class ShutdownDeadlineDeathTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(ShutdownDeadlineDeathTest, DisarmedWhenShutdownFinishesInTime) {
  EXPECT_EXIT(
      {
        { const ShutdownDeadline deadline(100ms); }
        std::this_thread::sleep_for(300ms);
        std::exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(ShutdownDeadlineDeathTest, ExitsWithCode1NamingTheSettingWhenExceeded) {
  EXPECT_EXIT(
      {
        setup_logging(LogConfig{});  // stderr, as in the daemon
        const ShutdownDeadline deadline(50ms);
        std::this_thread::sleep_for(10s);
      },
      ::testing::ExitedWithCode(1), "daemon.shutdown_timeout_seconds");
}

}  // namespace
}  // namespace doorbell
