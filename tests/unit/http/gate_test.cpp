// The connection gate in front of the real server, on loopback sockets: slow, idle, oversized,
// malformed and pipelined clients.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "doorbell/http/server.hpp"
#include "doorbell/observability/metrics.hpp"
#include "support/free_port.hpp"
#include "support/raw_socket.hpp"

namespace doorbell::http {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::RawSocket;
using ::testing::StartsWith;

constexpr std::array kRoutes{
    RouteSpec{"GET", "/api/health", Access::open, BodyLimit::none, Lane::probe},
    RouteSpec{"GET", "/slow", Access::open},
    RouteSpec{"POST", "/echo", Access::open, BodyLimit::json},
    RouteSpec{"POST", "/upload", Access::admin, BodyLimit::upload},
};

constexpr const char* kHealth = "GET /api/health HTTP/1.1\r\nHost: t\r\n\r\n";

class GateTest : public ::testing::Test {
 protected:
  void start(HttpConfig overrides = {}) {
    config = overrides;
    config.port = testing::free_port();
    server = std::make_unique<Server>(config, metrics.registry(), access, nullptr, kRoutes);
    server->get("/api/health", [](const Request&) { return json_response(200, {{"status", "ok"}}); });
    server->get("/slow", [this](const Request&) {
      std::unique_lock lock(mutex);
      ++slow_started;
      changed.notify_all();
      changed.wait_for(lock, 20s, [this] { return released; });
      return json_response(200, {{"slow", true}});
    });
    server->post("/echo", [](const Request& req) {
      return json_response(200, {{"bytes", req.body.size()}});
    });
    server->post("/upload", [](const Request& req) {
      return json_response(200, {{"bytes", req.body.size()}});
    });
    server->bind();
    thread = std::jthread([this] { server->serve(); });
  }
  void TearDown() override {
    release();
    if (server) server->stop();
    if (thread.joinable()) thread.join();
  }
  void release() {
    std::lock_guard lock(mutex);
    released = true;
    changed.notify_all();
  }
  bool wait_slow_started(int n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 5s, [&] { return slow_started >= n; });
  }
  std::chrono::milliseconds time_health() {
    const auto began = std::chrono::steady_clock::now();
    RawSocket s(config.port);
    s.send(kHealth);
    const auto answer = s.receive_until("\"ok\"}", 2s);
    EXPECT_THAT(answer, StartsWith("HTTP/1.1 200"));
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
  }

  HttpConfig config;
  Metrics metrics;
  AccessPolicy access{{"admin-secret", "", ""}, nullptr, nullptr};
  std::unique_ptr<Server> server;
  std::jthread thread;
  std::mutex mutex;
  std::condition_variable changed;
  int slow_started = 0;
  bool released = false;
};

TEST_F(GateTest, ProbesAnswerWithin100msWhileSlowIdleAndBusyClientsTakeEverythingElse) {
  HttpConfig c;
  c.threads = 2;
  start(c);
  // Every API thread busy, two more requests queued behind them.
  std::vector<std::unique_ptr<RawSocket>> busy;
  for (int i = 0; i < 4; ++i) {
    busy.push_back(std::make_unique<RawSocket>(config.port));
    busy.back()->send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  }
  ASSERT_TRUE(wait_slow_started(2));
  // Slowloris: heads trickling in; idle keep-alive connections after one request.
  std::vector<std::unique_ptr<RawSocket>> slow, idle;
  for (int i = 0; i < 32; ++i) {
    slow.push_back(std::make_unique<RawSocket>(config.port));
    slow.back()->send("GET /api/health HTTP/1.1\r\n");
    idle.push_back(std::make_unique<RawSocket>(config.port));
    idle.back()->send(kHealth);
    idle.back()->receive_until("\"ok\"}");
  }
  std::chrono::milliseconds worst{0};
  for (int i = 0; i < 20; ++i) {
    for (auto& s : slow) s->send("X");
    worst = std::max(worst, time_health());
  }
  EXPECT_LT(worst.count(), 100) << "worst of 20 probes";
  RecordProperty("worst_probe_ms", static_cast<int>(worst.count()));
  release();
  EXPECT_THAT(busy[3]->receive_until("\"slow\":true}"), HasSubstr("200 OK")) << "queued requests are served";
}

TEST_F(GateTest, AHeadThatTakesTooLongIs408AndClosed) {
  HttpConfig c;
  c.header_timeout_seconds = Seconds(0.3);
  start(c);
  RawSocket s(config.port);
  s.send("GET /api/health HTTP/1.1\r\nHost:");
  const auto began = std::chrono::steady_clock::now();
  const auto answer = s.receive_all(3s);
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 408"));
  EXPECT_TRUE(s.closed_by_peer());
  EXPECT_LT(std::chrono::steady_clock::now() - began, 1500ms);
  EXPECT_THAT(metrics.render(),
              HasSubstr("doorbell_http_connections_closed_total{reason=\"header_timeout\"} 1"));
}

TEST_F(GateTest, IdleConnectionsAreClosedAfterTheKeepAliveTime) {
  HttpConfig c;
  c.keep_alive_seconds = Seconds(0.3);
  start(c);
  RawSocket s(config.port);
  s.send(kHealth);
  s.receive_all(3s);
  EXPECT_TRUE(s.closed_by_peer());
}

TEST_F(GateTest, KeepAliveAndPipelinedRequestsAreAnsweredInOrder) {
  start();
  RawSocket s(config.port);
  s.send(std::string(kHealth) + "POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc" + kHealth);
  const auto answers = s.receive_all(1s);
  const auto first = answers.find("\"status\":\"ok\"");
  const auto echo = answers.find("\"bytes\":3");
  const auto last = answers.rfind("\"status\":\"ok\"");
  EXPECT_NE(first, std::string::npos) << answers;
  EXPECT_NE(echo, std::string::npos) << answers;
  EXPECT_TRUE(first < echo && echo < last) << answers;
  EXPECT_FALSE(s.closed_by_peer()) << "kept alive";
}

TEST_F(GateTest, AnOversizedBodyIsRefusedFromItsHeadBeforeItIsSent) {
  start();
  RawSocket s(config.port);
  s.send("POST /echo HTTP/1.1\r\nContent-Length: 104857600\r\n\r\n");
  EXPECT_THAT(s.receive_until("}", 2s),
              AllOf(StartsWith("HTTP/1.1 413"), HasSubstr("larger than 16384 bytes")));
}

TEST_F(GateTest, ChunkedBodiesAreCappedLikeSizedOnes) {
  start();
  RawSocket ok(config.port);
  ok.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  EXPECT_THAT(ok.receive_until("}"), HasSubstr("\"bytes\":5}"));
  RawSocket big(config.port);
  std::string request = "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) request += "1000\r\n" + std::string(4096, 'x') + "\r\n";  // 20 KiB > 16 KiB
  big.send(request);
  EXPECT_THAT(big.receive_until("}", 2s), AllOf(StartsWith("HTTP/1.1 413"), HasSubstr("larger than")));
}

TEST_F(GateTest, ARouteNeedingATokenRefusesBeforeReadingTheBody) {
  start();
  RawSocket s(config.port);
  s.send("POST /upload HTTP/1.1\r\nContent-Length: 5000000\r\n\r\n");
  EXPECT_THAT(s.receive_until("}", 2s), StartsWith("HTTP/1.1 401"));
  RawSocket with(config.port);
  with.send("POST /upload HTTP/1.1\r\nAuthorization: Bearer admin-secret\r\nContent-Length: 4\r\n\r\nabcd");
  EXPECT_THAT(with.receive_until("}", 2s), HasSubstr("\"bytes\":4}"));
}

TEST_F(GateTest, ExpectContinueIsAnsweredOnceTheHeadIsAccepted) {
  start();
  RawSocket s(config.port);
  s.send("POST /echo HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_THAT(s.receive_until("\r\n\r\n", 2s), StartsWith("HTTP/1.1 100 Continue"));
  s.send("hi");
  EXPECT_THAT(s.receive_until("}", 2s), HasSubstr("\"bytes\":2}"));
}

TEST_F(GateTest, MalformedOversizedAndCompressedRequestsGetTheirOwn4xx) {
  start();
  const auto answer = [this](const std::string& bytes) {
    RawSocket s(config.port);
    s.send(bytes);
    return s.receive_all(2s);
  };
  EXPECT_THAT(answer("GARBAGE\r\n\r\n"), StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(answer("GET /api/health HTTP/1.1\r\nX: " + std::string(20000, 'a') + "\r\n\r\n"),
              StartsWith("HTTP/1.1 431"));
  EXPECT_THAT(answer("GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n"), StartsWith("HTTP/1.1 414"));
  EXPECT_THAT(answer("POST /echo HTTP/1.1\r\nContent-Encoding: gzip\r\nContent-Length: 1\r\n\r\nx"),
              StartsWith("HTTP/1.1 415"));
  EXPECT_THAT(answer("GET /nope HTTP/1.1\r\n\r\n"),
              AllOf(StartsWith("HTTP/1.1 404"), HasSubstr("application/json")));
  EXPECT_THAT(answer("BREW /api/health HTTP/1.1\r\n\r\n"),
              AllOf(StartsWith("HTTP/1.1 405"), HasSubstr("Allow: GET")));
  EXPECT_THAT(answer("PUT /api/health HTTP/1.1\r\n\r\n"), StartsWith("HTTP/1.1 405"));
  const auto text = metrics.render();
  EXPECT_THAT(text,
              HasSubstr(R"(doorbell_http_requests_total{method="other",route="unmatched",status="405"} 1)"))
      << "unknown methods share one label value";
  EXPECT_THAT(text,
              HasSubstr(R"(doorbell_http_requests_total{method="PUT",route="unmatched",status="405"} 1)"));
}

TEST_F(GateTest, AtTheConnectionLimitTheOldestSlowClientMakesRoom) {
  HttpConfig c;
  c.max_connections = 8;
  start(c);
  std::vector<std::unique_ptr<RawSocket>> slow;
  for (int i = 0; i < 8; ++i) {
    slow.push_back(std::make_unique<RawSocket>(config.port));
    slow.back()->send("GET /api/health HTTP/1.1\r\n");
  }
  std::this_thread::sleep_for(50ms);  // all accepted
  time_health();
  slow.front()->receive_all(1s);
  EXPECT_TRUE(slow.front()->closed_by_peer()) << "the oldest was closed";
  EXPECT_THAT(metrics.render(), HasSubstr("doorbell_http_connections_closed_total{reason=\"evicted\"} 1"));
}

}  // namespace
}  // namespace doorbell::http
