// A real Prometheus server (Debian's package) scrapes the real daemon: up == 1, the alert rules load
// and evaluate, and every metric the dashboard and the rules use is really exported.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "support/daemon.hpp"
#include "support/tools.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Prometheus scraping one daemon every second, with the repository's alert rules loaded.
class PrometheusServer {
 public:
  explicit PrometheusServer(int target_port)
      : port_(free_port()),
        config_(dir_.write("prometheus.yml",
                           "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                           "rule_files:\n  - " DOORBELL_SOURCE_DIR "/config/prometheus/alerts.yml\n"
                           "scrape_configs:\n  - job_name: doorbelld\n    static_configs:\n"
                           "      - targets: ['127.0.0.1:" +
                               std::to_string(target_port) + "']\n")),
        process_({PROMETHEUS_BINARY, "--config.file=" + config_.string(),
                  "--storage.tsdb.path=" + (dir_.path() / "data").string(),
                  "--web.listen-address=127.0.0.1:" + std::to_string(port_)},
                 {}, dir_.path() / "prometheus.log") {}

  ChildProcess& process() { return process_; }

  // The first scrape shows up ~6 s after start (Prometheus' target-update delay).
  std::optional<std::string> wait_until_up() const {
    std::optional<std::string> up;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline && up != "1") {
      std::this_thread::sleep_for(250ms);
      const auto answer = get("/api/v1/query", {{"query", "up{job=\"doorbelld\"}"}});
      const auto result = answer.value(json::json_pointer("/data/result"), json::array());
      if (!result.empty()) up = result[0]["value"][1].get<std::string>();
    }
    return up;
  }

  json get(const std::string& path, const httplib::Params& params = {}) const {
    httplib::Client client("127.0.0.1", port_);
    auto res = client.Get(path, params, httplib::Headers{});
    if (!res) return json{{"status", "no answer"}};
    auto body = json::parse(res->body, nullptr, false);  // not JSON while it starts
    return body.is_discarded() ? json{{"status", "not json"}} : body;
  }

 private:
  TempDir dir_;
  int port_;
  std::filesystem::path config_;
  ChildProcess process_;
};

TEST(Prometheus, ScrapesTheDaemon) {
  DOORBELL_SKIP_WITHOUT(PROMETHEUS_BINARY, "prometheus");
  RunningDaemon daemon;
  ASSERT_TRUE(daemon.wait_for_status("/api/ready", 200)) << daemon.process().output();
  PrometheusServer prometheus(daemon.port());
  EXPECT_EQ(prometheus.wait_until_up(), "1") << prometheus.process().output();

  prometheus.process().signal(SIGTERM);
  EXPECT_EQ(prometheus.process().wait_exit(10s), 0);
  daemon.process().signal(SIGTERM);
  EXPECT_EQ(daemon.process().wait_exit(10s), 0);
}

std::string read_file(const std::string& relative) {
  std::ifstream in(std::string(DOORBELL_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Metric names (doorbell_*, process_*) mentioned in a text.
std::set<std::string> metric_names(const std::string& text) {
  static const std::regex name(R"(\b((doorbell|process)_[a-z0-9_]+)\b)");
  std::set<std::string> names;
  for (std::sregex_iterator it(text.begin(), text.end(), name), end; it != end; ++it) names.insert((*it)[1]);
  return names;
}

// The PromQL of every panel of a Grafana dashboard, with its variables given values.
std::vector<std::string> dashboard_queries(const json& dashboard) {
  std::vector<std::string> queries;
  for (const auto& panel : dashboard["panels"]) {
    for (const auto& target : panel.value("targets", json::array())) {
      auto expr = target["expr"].get<std::string>();
      expr = std::regex_replace(expr, std::regex(R"(\$__rate_interval)"), "1m");
      expr = std::regex_replace(expr, std::regex(R"(\$instance)"), ".*");
      queries.push_back(expr);
    }
  }
  return queries;
}

TEST(Prometheus, EveryMetricOfTheDashboardAndAlertsIsExportedAndEveryQueryAndRuleRuns) {
  DOORBELL_SKIP_WITHOUT(PROMETHEUS_BINARY, "prometheus");
  // Every part that exports metrics: a camera, a notification channel and tracing (both unreachable).
  RunningDaemon daemon(json{
      {"camera", {{"source", kPortraits.string()}, {"fps", 5}}},
      {"webhook", {{"url", "http://127.0.0.1:" + std::to_string(free_port()) + "/hook"}, {"secret", "s"}}},
      {"tracing", {{"enabled", true}, {"endpoint", "http://127.0.0.1:" + std::to_string(free_port())}}}});
  ASSERT_TRUE(daemon.wait_for_status("/api/ready", 200)) << daemon.process().output();
  PrometheusServer prometheus(daemon.port());
  ASSERT_EQ(prometheus.wait_until_up(), "1") << prometheus.process().output();

  const auto scrape = daemon.client().Get("/metrics")->body;
  std::set<std::string> exported;
  static const std::regex type_line(R"(# TYPE (\S+) )");
  for (std::sregex_iterator it(scrape.begin(), scrape.end(), type_line), end; it != end; ++it) {
    exported.insert((*it)[1]);
  }
  const auto dashboard = json::parse(read_file("grafana/dashboards/doorbelld.json"));
  auto used = metric_names(dashboard.dump());
  const auto in_rules = metric_names(read_file("config/prometheus/alerts.yml"));
  used.insert(in_rules.begin(), in_rules.end());
  ASSERT_GT(used.size(), 20u);
  static const std::regex histogram_series(R"((.*)_(bucket|sum|count)$)");
  for (const auto& name : used) {
    std::smatch m;
    const bool found = exported.count(name) > 0 ||
                       (std::regex_match(name, m, histogram_series) && exported.count(m[1].str()) > 0);
    EXPECT_TRUE(found) << name << " is used by the dashboard or the alert rules but not exported";
  }

  for (const auto& query : dashboard_queries(dashboard)) {
    const auto answer = prometheus.get("/api/v1/query", {{"query", query}});
    EXPECT_EQ(answer["status"], "success") << query << ": " << answer.dump();
  }

  // The rules load in a real server and evaluate without errors.
  json groups;
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  bool evaluated = false;
  while (!evaluated && std::chrono::steady_clock::now() < deadline) {
    groups = prometheus.get("/api/v1/rules")["data"]["groups"];
    evaluated = !groups.empty() && std::all_of(groups[0]["rules"].begin(), groups[0]["rules"].end(),
                                               [](const json& r) { return r["health"] != "unknown"; });
    if (!evaluated) std::this_thread::sleep_for(250ms);
  }
  ASSERT_TRUE(evaluated) << groups.dump();
  EXPECT_EQ(groups[0]["rules"].size(), 18u);
  for (const auto& rule : groups[0]["rules"]) EXPECT_EQ(rule["health"], "ok") << rule.dump();
}

}  // namespace
}  // namespace doorbell::testing
