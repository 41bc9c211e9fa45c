// Built into ThreadSanitizer test builds only: a data race in a route handler, reached through the real
// server and cpp-httplib's request processing, is reported despite tests/tsan.supp — the suppression of
// the uninstrumented library does not hide our handlers.
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <thread>

#include "doorbell/http/server.hpp"
#include "doorbell/observability/metrics.hpp"
#include "support/free_port.hpp"
#include "support/raw_socket.hpp"

namespace doorbell::http {
namespace {

constexpr std::array kRoutes{RouteSpec{"GET", "/race", Access::open}};

int unguarded = 0;  // written by two requests at once, without a lock: the race TSan must report

[[noreturn]] void serve_two_racing_requests() {
  HttpConfig config;
  config.port = testing::free_port();
  config.threads = 2;
  Metrics metrics;
  const AccessPolicy access({}, nullptr, nullptr);  // no credentials: the open route only
  Server server(config, metrics.registry(), access, nullptr, kRoutes);
  server.get("/race", [](const Request&) {
    ++unguarded;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ++unguarded;
    return json_response(200, {{"n", unguarded}});
  });
  server.bind();
  std::jthread serving([&] { server.serve(); });
  testing::RawSocket a(config.port), b(config.port);
  a.send("GET /race HTTP/1.1\r\n\r\n");
  b.send("GET /race HTTP/1.1\r\n\r\n");
  a.receive_until("}");
  b.receive_until("}");
  server.stop();
  serving.join();
  std::exit(0);  // only reached if the race went unreported
}

TEST(TsanReport, ARaceInARouteHandlerIsReported) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // The tsan preset runs with halt_on_error=1: the report ends the process with TSan's exit code 66.
  EXPECT_EXIT(serve_two_racing_requests(), ::testing::ExitedWithCode(66), "ThreadSanitizer: data race");
}

}  // namespace
}  // namespace doorbell::http
