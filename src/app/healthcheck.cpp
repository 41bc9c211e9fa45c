#include "doorbell/app/healthcheck.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <chrono>
#include <cstdio>

#include "doorbell/app/options.hpp"

namespace doorbell {
namespace {

// A daemon listening on every address is asked on loopback.
std::string loopback_for(const std::string& bind_address) {
  if (bind_address == "0.0.0.0" || bind_address.empty()) return "127.0.0.1";
  if (bind_address == "::") return "::1";
  return bind_address;
}

}  // namespace

int run_healthcheck(const HttpConfig& http, const std::vector<std::string>& args) {
  std::string path = "/api/health";
  for (const auto& arg : args) {
    if (arg != "--ready") {
      fmt::print(stderr, "doorbelld healthcheck: unknown argument \"{}\" (expected --ready)\n", arg);
      return kExitUsage;
    }
    path = "/api/ready";
  }
  const auto host = loopback_for(http.bind_address);
  // Plain HTTP even when the daemon serves TLS: the port answers the probes in plain HTTP too.
  httplib::Client client(host, http.port);
  client.set_connection_timeout(std::chrono::seconds(2));
  client.set_read_timeout(std::chrono::seconds(5));
  const auto began = std::chrono::steady_clock::now();
  const auto res = client.Get(path);
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count();
  if (!res) {
    fmt::print("unhealthy: no answer from http://{}:{}{}: {}\n", host, http.port, path,
               httplib::to_string(res.error()));
    return kExitFailure;
  }
  if (res->status != 200) {
    fmt::print("unhealthy: {} answered {} in {:.0f} ms: {}\n", path, res->status, ms, res->body);
    return kExitFailure;
  }
  fmt::print("healthy: {} answered 200 in {:.0f} ms\n", path, ms);
  return 0;
}

}  // namespace doorbell
