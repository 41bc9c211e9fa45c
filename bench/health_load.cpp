// Open-loop load on /api/health: CONNECTIONS keep-alive connections, one thread each, together sending
// RPS requests a second at evenly spaced times until SIGTERM or SIGINT; each request's latency is counted
// from when it was due, not from when it was sent, so a stalled server shows (no coordinated omission).
// Prints one JSON line: answered, failed, p50, p90, p99, max (ms).
// Usage: doorbell-bench-health PORT [RPS=2000] [CONNECTIONS=4]   (bench/press.mjs runs it during rings)
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "doorbell/common/thread_priority.hpp"

namespace {

using Clock = std::chrono::steady_clock;
std::atomic<bool> stopping{false};

struct Tally {
  std::vector<double> ms;
  long failed = 0;
};

void load(int port, double rps, int connections, int index, Clock::time_point start, Tally& tally) {
  doorbell::request_short_slice(std::chrono::microseconds(100));  // the client is not the daemon's problem
  httplib::Client client("127.0.0.1", port);
  client.set_keep_alive(true);
  const auto period = std::chrono::duration<double>(connections / rps);
  const auto offset = std::chrono::duration<double>(index / rps);
  for (long k = 0; !stopping; ++k) {
    const auto due = start + std::chrono::duration_cast<Clock::duration>(offset + k * period);
    std::this_thread::sleep_until(due);
    const auto answer = client.Get("/api/health");
    if (!answer || answer->status != 200) {
      ++tally.failed;
      continue;
    }
    tally.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - due).count());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: doorbell-bench-health PORT [RPS] [CONNECTIONS]\n");
    return 2;
  }
  const int port = std::stoi(argv[1]);
  const double rps = argc > 2 ? std::stod(argv[2]) : 2000;
  const int connections = argc > 3 ? std::stoi(argv[3]) : 4;
  std::signal(SIGTERM, [](int) { stopping = true; });
  std::signal(SIGINT, [](int) { stopping = true; });

  std::vector<Tally> tallies(static_cast<std::size_t>(connections));
  {
    const auto start = Clock::now() + std::chrono::milliseconds(50);
    std::vector<std::jthread> threads;
    for (int c = 0; c < connections; ++c) {
      threads.emplace_back(load, port, rps, connections, c, start,
                           std::ref(tallies[static_cast<std::size_t>(c)]));
    }
  }
  std::vector<double> ms;
  long failed = 0;
  for (const auto& t : tallies) {
    ms.insert(ms.end(), t.ms.begin(), t.ms.end());
    failed += t.failed;
  }
  std::sort(ms.begin(), ms.end());
  const auto q = [&](double p) {
    return ms.empty() ? 0.0 : ms[static_cast<std::size_t>(p * static_cast<double>(ms.size() - 1))];
  };
  std::printf(
      "{\"answered\": %zu, \"failed\": %ld, \"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, \"max\": %.3f}\n",
      ms.size(), failed, q(0.5), q(0.9), q(0.99), q(1.0));
  return 0;
}
