// A real Prometheus server (Debian's package) scrapes the real daemon and reports up == 1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "support/daemon.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// The value of `up` for the doorbelld job, if Prometheus has scraped it yet.
std::optional<std::string> query_up(int prometheus_port) {
  httplib::Client client("127.0.0.1", prometheus_port);
  auto res = client.Get("/api/v1/query?query=up%7Bjob%3D%22doorbelld%22%7D");
  if (!res || res->status != 200) return std::nullopt;
  const auto body = json::parse(res->body);
  const auto& result = body["data"]["result"];
  if (result.empty()) return std::nullopt;
  return result[0]["value"][1].get<std::string>();
}

TEST(Prometheus, ScrapesTheDaemon) {
  RunningDaemon daemon;
  ASSERT_TRUE(daemon.wait_for_status("/api/ready", 200)) << daemon.process().output();

  TempDir dir;
  const int prometheus_port = free_port();
  const auto config = dir.write("prometheus.yml",
                                "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                                "scrape_configs:\n  - job_name: doorbelld\n    static_configs:\n"
                                "      - targets: ['127.0.0.1:" +
                                    std::to_string(daemon.port()) + "']\n");
  ChildProcess prometheus({PROMETHEUS_BINARY, "--config.file=" + config.string(),
                           "--storage.tsdb.path=" + (dir.path() / "data").string(),
                           "--web.listen-address=127.0.0.1:" + std::to_string(prometheus_port)},
                          {}, dir.path() / "prometheus.log");

  // The first scrape shows up ~6 s after start (Prometheus' target-update delay).
  std::optional<std::string> up;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline && up != "1") {
    std::this_thread::sleep_for(250ms);
    up = query_up(prometheus_port);
  }
  EXPECT_EQ(up, "1") << prometheus.output();

  prometheus.signal(SIGTERM);
  EXPECT_EQ(prometheus.wait_exit(10s), 0);
  daemon.process().signal(SIGTERM);
  EXPECT_EQ(daemon.process().wait_exit(10s), 0);
}

}  // namespace
}  // namespace doorbell::testing
