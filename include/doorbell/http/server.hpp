#pragma once
// Server: the embedded HTTP server (cpp-httplib). Every error is JSON (unknown path 404, oversized body
// 413, throwing handler 500, counted), and every request is counted by route, method and status with a
// duration histogram. Add routes before serve(); serve() blocks on its own thread; stop() is thread-safe.

#include <httplib.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <functional>
#include <mutex>
#include <string>

#include "doorbell/config/config.hpp"
#include "doorbell/http/response.hpp"
#include "doorbell/observability/tracer.hpp"

namespace doorbell::http {

class Server {
 public:
  using Handler = std::function<Response(const httplib::Request&)>;

  // `tracer` may be null. With one, each request (but health, readiness and metrics probes) is a server
  // span, a child of an incoming W3C traceparent, and the handler runs in its context.
  Server(const HttpConfig& config, prometheus::Registry& registry, const Tracer* tracer = nullptr);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // `pattern` is a cpp-httplib pattern (a regex); it is also the `route` label of the metrics.
  void get(const std::string& pattern, Handler handler);
  void post(const std::string& pattern, Handler handler);
  void del(const std::string& pattern, Handler handler);

  // Binds and listens. Throws std::runtime_error naming http.bind_address and http.port on failure.
  void bind();
  int port() const noexcept { return port_; }
  // Serves until stop(); returns at once if stop() came first.
  void serve();
  void stop();

 private:
  httplib::Server::Handler wrap(const std::string& pattern, Handler handler);
  void record(const std::string& route, const std::string& method, int status);

  const HttpConfig config_;
  const Tracer* tracer_;
  httplib::Server server_;
  int port_ = 0;
  std::mutex run_mutex_;
  bool stop_requested_ = false;  // guarded by run_mutex_
  std::atomic<bool> serving_{false};

  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& durations_;
  prometheus::Family<prometheus::Counter>& exceptions_;
};

}  // namespace doorbell::http
