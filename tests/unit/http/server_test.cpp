#include "doorbell/http/server.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <array>
#include <future>
#include <stdexcept>
#include <thread>

#include "doorbell/observability/metrics.hpp"
#include "support/free_port.hpp"

namespace doorbell::http {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr std::array kTestRoutes{
    RouteSpec{"GET", "/ok", Access::open},
    RouteSpec{"POST", "/ok", Access::open, BodyLimit::upload},
    RouteSpec{"GET", "/throws", Access::open},
    RouteSpec{"GET", "/teapot", Access::open},
};

// A real server on a loopback port with test routes.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config.port = testing::free_port();
    config.max_body_bytes = 1024;
    server = std::make_unique<Server>(config, metrics.registry(), access, nullptr, kTestRoutes);
    server->get("/ok", [](const Request&) { return json_response(200, {{"hello", "world"}}); });
    server->get("/throws", [](const Request&) -> Response { throw std::runtime_error("bug"); });
    server->get("/teapot", [](const Request&) { return json_error(418, "I'm a teapot"); });
    server->post("/ok", [](const Request& req) { return json_response(200, {{"bytes", req.body.size()}}); });
    server->bind();
    thread = std::jthread([this] { server->serve(); });
  }
  void TearDown() override {
    server->stop();
    thread.join();
  }

  HttpConfig config;
  Metrics metrics;
  const AccessPolicy access{{}, nullptr, nullptr};  // no credentials: the open routes only
  std::unique_ptr<Server> server;
  std::jthread thread;
  httplib::Client connect() { return httplib::Client("127.0.0.1", config.port); }
};

TEST_F(ServerTest, ServesARoute) {
  auto res = connect().Get("/ok");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(res->body)["hello"], "world");
}

TEST_F(ServerTest, UnknownPathIs404Json) {
  auto res = connect().Get("/nope");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(res->body)["error"]["message"], "no route for GET /nope");
}

TEST_F(ServerTest, OversizedBodyIs413Json) {
  auto res = connect().Post("/ok", std::string(4096, 'x'), "application/octet-stream");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_THAT(json::parse(res->body)["error"]["message"].get<std::string>(),
              HasSubstr("http.max_body_bytes"));
}

TEST_F(ServerTest, ThrowingHandlerIs500JsonCountedAndTheServerKeepsServing) {
  auto res = connect().Get("/throws");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(json::parse(res->body)["error"]["message"], "internal error");
  EXPECT_THAT(metrics.render(), HasSubstr("doorbell_http_handler_exceptions_total{route=\"/throws\"} 1"));
  res = connect().Get("/ok");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(ServerTest, RouteErrorBodiesAreKept) {
  auto res = connect().Get("/teapot");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 418);
  EXPECT_EQ(json::parse(res->body)["error"]["message"], "I'm a teapot");
}

TEST_F(ServerTest, RequestsAreCountedByRouteMethodAndStatus) {
  auto c = connect();
  ASSERT_TRUE(c.Get("/ok"));
  ASSERT_TRUE(c.Get("/ok"));
  ASSERT_TRUE(c.Get("/nope"));
  const auto text = metrics.render();
  EXPECT_THAT(text, HasSubstr("doorbell_http_requests_total{method=\"GET\",route=\"/ok\",status=\"200\"} 2"));
  EXPECT_THAT(text,
              HasSubstr("doorbell_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1"));
  EXPECT_THAT(text, HasSubstr("doorbell_http_request_duration_seconds_count{route=\"/ok\"} 2"));
}

TEST_F(ServerTest, HandleServesRawRequestsWithoutASocket) {
  EXPECT_THAT(server->handle("GET /ok HTTP/1.1\r\n\r\n"), ::testing::StartsWith("HTTP/1.1 200 OK"));
  const auto echoed =
      server->handle("POST /ok HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_THAT(echoed, HasSubstr("{\"bytes\":3}"));
  EXPECT_THAT(server->handle("GET /ok HTTP/1.1\r\n"), ::testing::StartsWith("HTTP/1.1 400")) << "incomplete";
  EXPECT_THAT(server->handle("POST /ok HTTP/1.1\r\nContent-Length: 9\r\n\r\nabc"),
              ::testing::StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(server->handle("GET /nope HTTP/1.1\r\n\r\n"), ::testing::StartsWith("HTTP/1.1 404"));
}

TEST_F(ServerTest, SecondServerOnTheSamePortFailsNamingTheSettings) {
  Metrics other_metrics;
  Server second(config, other_metrics.registry(), access, nullptr, kTestRoutes);
  try {
    second.bind();
    FAIL() << "bound the same port twice";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("http.bind_address/http.port"));
    EXPECT_THAT(e.what(), HasSubstr(std::to_string(config.port)));
  }
}

TEST_F(ServerTest, StopBeforeServeMakesServeReturnAtOnce) {
  Metrics other_metrics;
  config.port = testing::free_port();
  Server idle(config, other_metrics.registry(), access, nullptr, kTestRoutes);
  idle.bind();
  idle.stop();
  auto served = std::async(std::launch::async, [&] { idle.serve(); });
  EXPECT_EQ(served.wait_for(std::chrono::seconds(5)), std::future_status::ready);
}

}  // namespace
}  // namespace doorbell::http
