// The real doorbelld binary: health, readiness, metrics (checked by promtool), reload and shutdown.
#include "support/daemon.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "doorbell/common/features.hpp"
#include "support/tools.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(Daemon, ServesHealthReadyAndLintCleanMetricsThenStopsOnSigterm) {
  DOORBELL_SKIP_WITHOUT(PROMTOOL_BINARY, "promtool (Prometheus's metrics lint)");
  RunningDaemon daemon(json{{"daemon", {{"shutdown_timeout_seconds", 5}}}});
  ASSERT_TRUE(daemon.wait_for_status("/api/health", 200)) << daemon.process().output();
  ASSERT_TRUE(daemon.wait_for_status("/api/ready", 200)) << daemon.process().output();

  auto health = daemon.client().Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(json::parse(health->body)["status"], "ok");
  auto ready = daemon.client().Get("/api/ready");
  ASSERT_TRUE(ready);
  const auto ready_body = json::parse(ready->body);
  EXPECT_EQ(ready_body["status"], "ready");
  EXPECT_EQ(ready_body["components"]["http"]["state"], "ready");
  EXPECT_EQ(ready_body["components"]["main_loop"]["state"], "ready");

  auto metrics = daemon.client().Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_EQ(metrics->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  for (const char* name :
       {"process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "process_max_fds",
        "process_start_time_seconds", "process_virtual_memory_bytes", "doorbell_build_info{",
        "doorbell_http_requests_total{", "doorbell_component_ready{"}) {
    EXPECT_THAT(metrics->body, HasSubstr(name));
  }
  TempDir dir;
  const auto scraped = dir.write("metrics.txt", metrics->body);
  const auto lint = run_command({PROMTOOL_BINARY, "check", "metrics"}, {}, scraped);
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
  EXPECT_EQ(lint.output, "") << "promtool reported lint problems";

  const auto start = std::chrono::steady_clock::now();
  daemon.process().signal(SIGTERM);
  const auto code = daemon.process().wait_exit(5s);
  ASSERT_TRUE(code.has_value()) << "did not exit within the 5 s shutdown deadline";
  EXPECT_EQ(*code, 0) << daemon.process().output();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_THAT(daemon.process().output(), HasSubstr("stopped cleanly"));
}

TEST(Daemon, SigintAlsoStopsCleanly) {
  RunningDaemon daemon;
  ASSERT_TRUE(daemon.wait_for_status("/api/ready", 200)) << daemon.process().output();
  daemon.process().signal(SIGINT);
  EXPECT_EQ(daemon.process().wait_exit(10s), 0) << daemon.process().output();
}

TEST(Daemon, SighupReloadsLogSettingsAndKeepsServing) {
  RunningDaemon daemon(json{{"log", {{"level", "info"}, {"format", "text"}}}});
  ASSERT_TRUE(daemon.wait_for_status("/api/ready", 200)) << daemon.process().output();

  daemon.write_config(
      {{"http", {{"port", daemon.port() + 1}}}, {"log", {{"level", "debug"}, {"format", "json"}}}});
  daemon.process().signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_for_output(
      "\"message\":\"SIGHUP: configuration reloaded (log.level=debug, log.format=json"))
      << daemon.process().output();
  EXPECT_THAT(daemon.process().output(), HasSubstr("http.port changed; restart doorbelld to apply it"));
  EXPECT_TRUE(daemon.wait_for_status("/api/health", 200)) << "still on the original port";

  std::ofstream(daemon.config_file()) << "{ not json";
  daemon.process().signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_for_output("keeping the running configuration")) << daemon.process().output();
  EXPECT_TRUE(daemon.wait_for_status("/api/health", 200));

  daemon.process().signal(SIGTERM);
  EXPECT_EQ(daemon.process().wait_exit(10s), 0);
}

TEST(Daemon, PortInUseExitsNonZeroNamingTheSetting) {
  RunningDaemon first;
  ASSERT_TRUE(first.wait_for_status("/api/health", 200));
  RunningDaemon second(json{{"http", {{"port", first.port()}}}});
  EXPECT_EQ(second.process().wait_exit(10s), 1);
  EXPECT_THAT(second.process().output(), HasSubstr("http.bind_address/http.port"));
}

TEST(Daemon, MissingGpioChipIsNotReadyNamingItAndServesMeanwhile) {
  if (!features::kGpio) GTEST_SKIP() << "built with DOORBELL_WITH_GPIOD=OFF";
  // No GPIO here (FACTS.md): libgpiod's real open fails, which must surface, not crash.
  RunningDaemon daemon(json{{"gpio", {{"chip", "gpiochip-missing"}, {"line", 17}}}});
  ASSERT_TRUE(daemon.wait_for_status("/api/health", 200)) << daemon.process().output();
  ASSERT_TRUE(daemon.wait_for_output("gpio gpiochip-missing line 17")) << daemon.process().output();
  const auto ready = daemon.client().Get("/api/ready");
  EXPECT_EQ(ready->status, 503);
  EXPECT_EQ(json::parse(ready->body)["components"]["gpio"]["state"], "not_ready");
  daemon.process().signal(SIGTERM);
  EXPECT_EQ(daemon.process().wait_exit(10s), 0) << daemon.process().output();
}

TEST(Cli, VersionCheckConfigAndPrintConfig) {
  const auto version = run_command({DOORBELLD_BINARY, "--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.output, ::testing::StartsWith("doorbelld 0."));

  const std::string demo = std::string(DOORBELL_SOURCE_DIR) + "/config/demo.json";
  const auto check = run_command({DOORBELLD_BINARY, "--config", demo, "--check-config"});
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(check.output, "OK\n");

  const auto printed = run_command({DOORBELLD_BINARY, "--config", demo, "--print-config"},
                                   {"DOORBELL_HTTP_API_TOKEN=hunter2"});
  EXPECT_EQ(printed.exit_code, 0) << printed.output;
  EXPECT_THAT(printed.output, ::testing::Not(HasSubstr("hunter2")));
  EXPECT_EQ(json::parse(printed.output)["http"]["api_token"], "***");

  const auto bad = run_command({DOORBELLD_BINARY, "--bogus"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.output, HasSubstr("unknown option \"--bogus\""));
}

}  // namespace
}  // namespace doorbell::testing
