// The probes of the real daemon while hostile or merely slow clients take everything else: slowloris
// heads, idle keep-alive connections, live-stream viewers at their limit, uploads in progress.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/resource.h>

#include <atomic>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "doorbell/common/tsan.hpp"
#include "support/daemon.hpp"
#include "support/raw_socket.hpp"

namespace doorbell::testing {
namespace {

// `doorbelld healthcheck` answers within a second; under ThreadSanitizer its runtime alone takes 0.5-0.8 s
// to start doorbelld on this machine (`doorbelld --version`), so the process gets three.
#ifdef DOORBELL_TSAN
constexpr double kHealthcheckBudgetMs = 3000;
#else
constexpr double kHealthcheckBudgetMs = 1000;
#endif

using nlohmann::json;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Milliseconds until `path` answered 200 on a new connection.
double probe_ms(int port, const std::string& path) {
  const auto began = std::chrono::steady_clock::now();
  RawSocket s(port);
  s.send("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  const auto answer = s.receive_all(3s);
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 200")) << path;
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count();
}

TEST(Starvation, ProbesAndTheHealthcheckAnswerWhileSlowIdleAndStreamingClientsTakeTheRest) {
  RunningDaemon daemon{json{{"camera", {{"source", kPortraits.string()}, {"fps", 4}}},
                            {"http", {{"threads", 2}, {"stream_max_clients", 2}}}}};
  ASSERT_TRUE(daemon.wait_for_status("/api/ready", 200)) << daemon.process().output();
  const auto auth = "Authorization: Bearer " + daemon.admin_token() + "\r\n";
  const int port = daemon.port();

  std::vector<std::unique_ptr<RawSocket>> held;
  const auto hold = [&](const std::string& bytes) {
    held.push_back(std::make_unique<RawSocket>(port));
    held.back()->send(bytes);
    return held.back().get();
  };
  std::vector<RawSocket*> slowloris;
  // The worst of 30 probes (health, ready, metrics on new connections) while the slowloris sockets
  // send one more byte each round; recorded for each pattern added to the ones before.
  const auto worst_probe = [&](const char* pattern) {
    double worst = 0;
    for (int round = 0; round < 10; ++round) {
      for (auto* s : slowloris) s->send("X");
      for (const char* path : {"/api/health", "/api/ready", "/metrics"}) {
        worst = std::max(worst, probe_ms(port, path));
      }
    }
    EXPECT_LT(worst, 100) << "worst probe with " << pattern << ", ms";
    RecordProperty(std::string("worst_probe_ms_with_") + pattern, static_cast<int>(worst));
  };

  for (int i = 0; i < 64; ++i) slowloris.push_back(hold("GET /api/health HTTP/1.1\r\n"));
  worst_probe("slowloris");
  for (int i = 0; i < 64; ++i) hold("GET /api/health HTTP/1.1\r\nHost: t\r\n\r\n")->receive_until("}");
  worst_probe("idle_keep_alive");
  for (int i = 0; i < 2; ++i) {  // live viewers at the limit
    auto* viewer = hold("GET /api/stream.mjpg HTTP/1.1\r\n" + auth + "\r\n");
    ASSERT_THAT(viewer->receive_until("\xFF\xD8", 5s), StartsWith("HTTP/1.1 200")) << "streaming";
  }
  worst_probe("streams_at_limit");
  for (int i = 0; i < 4; ++i) {  // uploads in progress: a megabyte announced, ten bytes sent
    hold("POST /api/identify HTTP/1.1\r\n" + auth +
         "Content-Type: image/jpeg\r\nContent-Length: 1000000\r\n\r\n0123456789");
  }
  worst_probe("uploads_in_progress");

  const auto began = std::chrono::steady_clock::now();
  const auto check = run_command({DOORBELLD_BINARY, "--config", daemon.config_file(), "healthcheck"});
  const auto check_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count();
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_THAT(check.output, HasSubstr("healthy"));
  EXPECT_LT(check_ms, kHealthcheckBudgetMs);
  RecordProperty("healthcheck_ms", static_cast<int>(check_ms));
  EXPECT_EQ(daemon.client().Get("/api/people")->status, 200) << "and the API still answers";
}

// The share of `probes` new-connection /api/health probes, spaced `gap` apart, answered 200 within 100 ms.
double probes_within_100ms(int port, int probes, std::chrono::milliseconds gap) {
  int quick = 0;
  for (int i = 0; i < probes; ++i) {
    const auto began = std::chrono::steady_clock::now();
    try {
      RawSocket s(port);
      s.send("GET /api/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
      const auto answer = s.receive_until("}", 1s);
      const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began);
      if (answer.starts_with("HTTP/1.1 200") && ms.count() < 100) ++quick;
    } catch (const std::runtime_error&) {  // refused: not quick
    }
    std::this_thread::sleep_for(gap);
  }
  return static_cast<double>(quick) / probes;
}

// 256 clients (http.max_connections) that pipeline 100 requests for a large open answer and never read,
// each replaced as soon as the server closes it: their connections wait to write answers or linger
// after a 503. New probes must still get in, by evicting them.
TEST(Starvation, ProbesGetInWhileEveryConnectionIsAPipelinerThatNeverReads) {
  RunningDaemon daemon{kWithoutRecognition};
  ASSERT_TRUE(daemon.wait_for_status("/api/health", 200)) << daemon.process().output();
  std::string pipelined;
  for (int i = 0; i < 100; ++i) pipelined += "GET /api/openapi.json HTTP/1.1\r\nHost: t\r\n\r\n";
  std::atomic<bool> done{false};
  std::jthread attack([&] {
    std::vector<std::unique_ptr<RawSocket>> pipeliners(256);
    std::vector<pollfd> polled(pipeliners.size());
    while (!done) {
      for (std::size_t i = 0; i < pipeliners.size(); ++i) {
        auto& s = pipeliners[i];
        if (s && (polled[i].revents & (POLLRDHUP | POLLHUP | POLLERR)) == 0) continue;
        try {
          s = std::make_unique<RawSocket>(daemon.port());
          s->send(pipelined);
        } catch (const std::runtime_error&) {  // the backlog is full for a moment
          s.reset();
        }
      }
      // Which the server closed, in one call every 5 ms (a poll per socket would take a core from it).
      for (std::size_t i = 0; i < pipeliners.size(); ++i)
        polled[i] = {pipeliners[i] ? pipeliners[i]->fd() : -1, POLLRDHUP, 0};
      ::poll(polled.data(), polled.size(), 5);
    }
  });
  std::this_thread::sleep_for(1s);  // every slot taken, every answer the sockets' buffers take written
  const double share = probes_within_100ms(daemon.port(), 75, 20ms);
  done = true;
  EXPECT_GE(share, 0.95);
  RecordProperty("probes_within_100ms_percent", static_cast<int>(share * 100));
  EXPECT_THAT(daemon.wait_for_metrics("reason=\"evicted\"}"), HasSubstr("reason=\"evicted\"}"));
}

// 500 connections a second that each send a malformed head (400, then the server lingers up to 2 s to
// read what else they send) and stay open: lingering connections make room first.
TEST(Starvation, ProbesGetInWhileMalformedHeadsChurnAndLinger) {
  rlimit files{};
  ::getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = std::min<rlim_t>(files.rlim_max, 4096);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &files), 0);
  ASSERT_GE(files.rlim_cur, 2048u) << "the churn holds about 1,000 sockets";
  RunningDaemon daemon{kWithoutRecognition};
  ASSERT_TRUE(daemon.wait_for_status("/api/health", 200)) << daemon.process().output();
  std::atomic<bool> done{false};
  std::jthread churn([&] {
    std::deque<std::pair<std::chrono::steady_clock::time_point, std::unique_ptr<RawSocket>>> open;
    auto next = std::chrono::steady_clock::now();
    while (!done) {
      next += 2ms;
      std::this_thread::sleep_until(next);
      const auto now = std::chrono::steady_clock::now();
      while (!open.empty() && now - open.front().first > 2s) open.pop_front();
      try {
        auto s = std::make_unique<RawSocket>(daemon.port());
        s->send("X\r\n\r\n");
        open.emplace_back(now, std::move(s));
      } catch (const std::runtime_error&) {  // the backlog is full for a moment
      }
    }
  });
  std::this_thread::sleep_for(2s);  // lingering connections fill the slots
  const double share = probes_within_100ms(daemon.port(), 75, 40ms);
  done = true;
  EXPECT_GE(share, 0.95);
  RecordProperty("probes_within_100ms_percent", static_cast<int>(share * 100));
}

}  // namespace
}  // namespace doorbell::testing
