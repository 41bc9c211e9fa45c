// Traces from the real daemon to a strict OTLP receiver (node, decoding with the official OpenTelemetry
// protobuf definitions): a ring is one trace with its stages and the notification, the webhook gets the
// trace context; a receiver that refuses spans costs spans, never rings.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <stdexcept>

#include "support/doorstep.hpp"
#include "support/http_receivers.hpp"
#include "support/tools.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// tests/otlp/receiver.js on a free port.
class OtlpReceiver {
 public:
  OtlpReceiver()
      : port_(free_port()),
        process_({NODE_BINARY, std::string(DOORBELL_SOURCE_DIR) + "/tests/otlp/receiver.js",
                  std::to_string(port_)},
                 {}, dir_.path() / "receiver.log") {
    if (!eventually([this] { return static_cast<bool>(client().Get("/spans")); }, 10s)) {
      throw std::runtime_error("the OTLP receiver did not start (npm ci in tests/otlp?): " +
                               process_.output());
    }
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1/traces"; }
  httplib::Client client() const { return httplib::Client("127.0.0.1", port_); }
  json spans() const { return get("/spans"); }
  json rejected() const { return get("/rejected"); }
  void answer(int status, int delay_ms = 0) const {
    client().Post("/status", json{{"status", status}, {"delayMs", delay_ms}}.dump(), "application/json");
  }

  // The spans named `name`, once there are at least `count` of them (at most 20 s).
  std::vector<json> wait_for(const std::string& name, std::size_t count = 1) const {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    std::vector<json> found;
    do {
      found.clear();
      for (const auto& s : spans()) {
        if (s["span"]["name"] == name) found.push_back(s);
      }
      if (found.size() >= count) break;
      std::this_thread::sleep_for(50ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return found;
  }

 private:
  json get(const std::string& path) const {
    const auto res = client().Get(path);
    if (!res) throw std::runtime_error("the OTLP receiver stopped answering " + path);
    return json::parse(res->body);
  }

  TempDir dir_;
  int port_;
  ChildProcess process_;
};

class TracingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DOORBELL_SKIP_WITHOUT(NODE_BINARY, "node (the OTLP receiver)");
    receiver = std::make_unique<OtlpReceiver>();
  }

  std::unique_ptr<RunningDaemon> start(const json& extra) {
    write_doorstep(camera_dir);
    json config{{"http", {{"api_token", "t"}}},
                {"camera", {{"source", camera_dir.string()}, {"fps", 10}}},
                {"pipeline", {{"hold_off_seconds", 0}, {"workers", 1}}},
                {"notify", {{"cooldown_seconds", 0}}},
                {"tracing",
                 {{"enabled", true}, {"endpoint", receiver->endpoint()}, {"flush_interval_seconds", 0.2}}}};
    config.merge_patch(extra);
    auto daemon = std::make_unique<RunningDaemon>(config);
    EXPECT_TRUE(daemon->wait_for_status("/api/ready", 200)) << daemon->process().output();
    return daemon;
  }

  TempDir dir;
  std::filesystem::path camera_dir = dir.path() / "camera";
  std::unique_ptr<OtlpReceiver> receiver;
};

TEST_F(TracingTest, ARingIsOneTraceFromTheRequestToTheNotification) {
  const int hook_port = free_port();
  Receivers hooks(hook_port);
  auto daemon = start(
      {{"webhook", {{"url", "http://127.0.0.1:" + std::to_string(hook_port) + "/hook"}, {"secret", "s"}}},
       {"tracing", {{"gzip", true}}}});
  const std::string trace = "0af7651916cd43dd8448eb211c80319c";
  const std::string caller = "b7ad6b7169203331";
  ASSERT_TRUE(wait_until_assessed(*daemon));
  auto c = daemon->client();
  ASSERT_EQ(c.Post("/api/ring",
                   {{"Authorization", "Bearer t"}, {"traceparent", "00-" + trace + "-" + caller + "-01"}}, "",
                   "text/plain")
                ->status,
            202);

  const auto notify = receiver->wait_for("notify.webhook");
  ASSERT_EQ(notify.size(), 1u) << daemon->process().output() << receiver->rejected().dump();
  const auto server = receiver->wait_for("POST /api/ring").at(0)["span"];
  const auto ring = receiver->wait_for("doorbell.ring").at(0)["span"];
  EXPECT_EQ(server["traceId"], trace) << "the incoming traceparent is honoured";
  EXPECT_EQ(server["parentSpanId"], caller);
  EXPECT_EQ(server["kind"], 2);
  EXPECT_EQ(ring["traceId"], trace);
  EXPECT_EQ(ring["parentSpanId"], server["spanId"]);
  for (const char* stage : {"frames.select", "face.embed", "face.match", "event.store"}) {
    const auto spans = receiver->wait_for(stage);
    ASSERT_EQ(spans.size(), 1u) << stage;
    EXPECT_EQ(spans[0]["span"]["traceId"], trace) << stage;
    EXPECT_EQ(spans[0]["span"]["parentSpanId"], ring["spanId"]) << stage;
  }
  // The faces were found before the ring: it is decided on its pre-roll, without waiting for frames.
  json select;
  const auto select_span = receiver->wait_for("frames.select").at(0)["span"];
  for (const auto& a : select_span["attributes"]) select[a["key"].get<std::string>()] = a["value"];
  EXPECT_GE(std::stoul(select["doorbell.frames.considered"]["intValue"].get<std::string>()), 1u);
  EXPECT_EQ(select["doorbell.frames.after_ring"]["intValue"], "0");
  EXPECT_EQ(select["doorbell.frames.waited"]["boolValue"], false);
  const auto& n = notify[0]["span"];
  EXPECT_EQ(n["traceId"], trace);
  EXPECT_EQ(n["parentSpanId"], ring["spanId"]) << "the notification continues the ring's trace";
  EXPECT_EQ(n["kind"], 3);

  // The webhook receiver got the notification span's context.
  const auto requests = hooks.wait_for("/hook", 1);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].headers.find("traceparent")->second,
            "00-" + trace + "-" + n["spanId"].get<std::string>() + "-01");

  // Resource and validity.
  json resource;
  for (const auto& a : notify[0]["resource"]["attributes"])
    resource[a["key"].get<std::string>()] = a["value"]["stringValue"];
  EXPECT_EQ(resource["service.name"], "doorbelld");
  EXPECT_FALSE(resource["service.version"].get<std::string>().empty());
  EXPECT_EQ(resource["service.instance.id"].get<std::string>().size(), 32u);
  EXPECT_FALSE(resource["host.name"].get<std::string>().empty());
  EXPECT_TRUE(receiver->rejected().empty()) << receiver->rejected().dump();
  const auto event = json::parse(c.Get("/api/events")->body)["events"][0];
  EXPECT_EQ(event["trace_id"], trace) << "the event names its trace";
  EXPECT_THAT(c.Get("/metrics")->body, ::testing::ContainsRegex("doorbell_spans_exported_total [1-9]"));
}

TEST_F(TracingTest, AReceiverThatRefusesSpansCostsSpansNeverRings) {
  receiver->answer(503);
  auto daemon = start({{"tracing", {{"queue_capacity", 4}}}});
  const auto first = ring_and_wait(*daemon, "t");
  EXPECT_LT(first["latency_seconds"].get<double>(), 10.0);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  std::string metrics;
  do {
    metrics = daemon->client().Get("/metrics")->body;
    std::this_thread::sleep_for(100ms);
  } while (metrics.find("doorbell_spans_dropped_total 0") != std::string::npos &&
           std::chrono::steady_clock::now() < deadline);
  EXPECT_THAT(metrics, ::testing::ContainsRegex("doorbell_spans_dropped_total [1-9]"));
  EXPECT_THAT(metrics, ::testing::ContainsRegex("doorbell_span_export_failures_total [1-9]"));
  EXPECT_TRUE(receiver->spans().empty());

  receiver->answer(200);  // back
  const auto second = ring_and_wait(*daemon, "t");
  const auto deadline_back = std::chrono::steady_clock::now() + 20s;
  bool arrived = false;
  while (!arrived && std::chrono::steady_clock::now() < deadline_back) {
    for (const auto& s : receiver->wait_for("doorbell.ring"))
      arrived |= s["span"]["traceId"] == second["trace_id"];
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(arrived) << "export resumes: the second ring's trace arrives";
  EXPECT_TRUE(receiver->rejected().empty()) << receiver->rejected().dump();
}

TEST_F(TracingTest, ASlowReceiverSlowsNeitherRingsNorShutdown) {
  receiver->answer(200, 30000);  // answers after 30 s
  auto daemon =
      start({{"tracing", {{"timeout_seconds", 20}}}, {"daemon", {{"shutdown_timeout_seconds", 4}}}});
  const auto first = ring_and_wait(*daemon, "t");
  const auto second = ring_and_wait(*daemon, "t");
  EXPECT_LT(second["latency_seconds"].get<double>(), 10.0) << "rings do not wait for the exporter";
  const auto start = std::chrono::steady_clock::now();
  daemon->process().signal(SIGTERM);
  EXPECT_EQ(daemon->process().wait_exit(10s), 0) << "the export gives up within the shutdown deadline";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_THAT(daemon->process().output(), ::testing::HasSubstr("span(s) dropped"))
      << "the lost spans are logged";
}

TEST_F(TracingTest, SpansStillWaitingAreSentOnShutdown) {
  auto daemon = start({{"tracing", {{"flush_interval_seconds", 60}}}});  // nothing would go for a minute
  const auto event = ring_and_wait(*daemon, "t");
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(receiver->spans().empty());
  daemon->process().signal(SIGTERM);
  EXPECT_EQ(daemon->process().wait_exit(15s), 0);
  const auto rings = receiver->wait_for("doorbell.ring");
  ASSERT_EQ(rings.size(), 1u) << daemon->process().output();
  EXPECT_EQ(rings[0]["span"]["traceId"], event["trace_id"]);
}

}  // namespace
}  // namespace doorbell::testing
