// What service managers see of the real daemon: sd_notify messages on a stand-in for systemd's socket,
// and the `doorbelld healthcheck` subcommand that Docker's HEALTHCHECK runs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "doorbell/common/features.hpp"
#include "support/daemon.hpp"
#include "support/models.hpp"
#include "support/notify_socket.hpp"

namespace doorbell::testing {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;
using ::testing::HasSubstr;

TEST(Systemd, ReadyOnlyAfterReadinessWatchdogMeanwhileStoppingOnSigterm) {
  if (!features::kSystemd) GTEST_SKIP() << "built with DOORBELL_WITH_SYSTEMD=OFF";
  const NotifySocket notify;
  const TempDir camera;  // empty: the camera cannot start, so the daemon is not ready
  RunningDaemon daemon(
      json{{"camera", {{"source", camera.path().string()}, {"fps", 5}, {"reconnect_max_seconds", 1}}}},
      {notify.env(), "WATCHDOG_USEC=1000000"});
  ASSERT_TRUE(daemon.wait_for_status("/api/health", 200)) << daemon.process().output();
  ASSERT_TRUE(daemon.wait_for_status("/api/ready", 503));

  std::string seen;
  EXPECT_FALSE(notify.wait_for("READY=1", 2500ms, &seen).has_value()) << seen;
  EXPECT_THAT(seen, HasSubstr("STATUS=not ready: camera"));
  EXPECT_THAT(seen, HasSubstr("WATCHDOG=1")) << "alive while not ready: the watchdog is fed";

  std::filesystem::copy_file(portrait(2), camera.path() / "frame.jpg");
  ASSERT_TRUE(notify.wait_for("READY=1", 20s).has_value()) << daemon.process().output();
  EXPECT_EQ(daemon.client().Get("/api/ready")->status, 200) << "READY=1 means /api/ready answers 200";

  daemon.process().signal(SIGTERM);
  EXPECT_TRUE(notify.wait_for("STOPPING=1", 5s).has_value());
  EXPECT_EQ(daemon.process().wait_exit(10s), 0) << daemon.process().output();
}

CommandResult healthcheck(const std::string& config_file, const std::vector<std::string>& args = {},
                          const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv{DOORBELLD_BINARY, "--config", config_file, "healthcheck"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, env);
}

TEST(Healthcheck, ExitsZeroWhileTheDaemonAnswersAndOneWhenItDoesNot) {
  RunningDaemon daemon(json{{"http", {{"bind_address", "0.0.0.0"}}}});
  ASSERT_TRUE(daemon.wait_for_status("/api/ready", 200)) << daemon.process().output();

  auto live = healthcheck(daemon.config_file());
  EXPECT_EQ(live.exit_code, 0) << live.output;
  EXPECT_THAT(live.output, HasSubstr("healthy: /api/health answered 200"));
  auto ready = healthcheck(daemon.config_file(), {"--ready"});
  EXPECT_EQ(ready.exit_code, 0) << ready.output;
  EXPECT_THAT(ready.output, HasSubstr("/api/ready answered 200"));

  // As in a container: the port comes from the environment, overriding the file.
  const TempDir other;
  const auto wrong_port = other.write("other.json", json{{"http", {{"port", free_port()}}}}.dump());
  EXPECT_EQ(healthcheck(wrong_port.string()).exit_code, 1);
  EXPECT_EQ(
      healthcheck(wrong_port.string(), {}, {"DOORBELL_HTTP_PORT=" + std::to_string(daemon.port())}).exit_code,
      0);

  EXPECT_EQ(healthcheck(daemon.config_file(), {"--frobnicate"}).exit_code, 2);

  daemon.process().signal(SIGTERM);
  ASSERT_EQ(daemon.process().wait_exit(10s), 0);
  const auto gone = healthcheck(daemon.config_file());
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_THAT(gone.output, HasSubstr("unhealthy: no answer from http://127.0.0.1:"));
}

TEST(Healthcheck, ReadyFlagFailsNamingTheComponentThatIsNotReady) {
  if (!features::kGpio) GTEST_SKIP() << "built with DOORBELL_WITH_GPIOD=OFF: no component to make not ready";
  RunningDaemon daemon(json{{"gpio", {{"chip", "gpiochip-missing"}, {"line", 17}}}});
  ASSERT_TRUE(daemon.wait_for_status("/api/ready", 503)) << daemon.process().output();
  EXPECT_EQ(healthcheck(daemon.config_file()).exit_code, 0) << "alive";
  const auto ready = healthcheck(daemon.config_file(), {"--ready"});
  EXPECT_EQ(ready.exit_code, 1);
  EXPECT_THAT(ready.output, HasSubstr("unhealthy: /api/ready answered 503"));
  EXPECT_THAT(ready.output, HasSubstr("gpiochip-missing"));
}

}  // namespace
}  // namespace doorbell::testing
