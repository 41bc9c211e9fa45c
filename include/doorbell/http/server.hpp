#pragma once
// Server: the embedded HTTP(S) server. A connection gate (one epoll thread) reads every request
// without blocking and decides access from the route table before any body is read; complete requests
// run their handler on lanes of threads of their own — liveness and readiness on the connection gate's own
// thread, /metrics on one thread, the API on http.threads, streams apart — so slow, idle or hostile clients
// can neither hold a thread nor starve the probes. Handlers see a Request (request.hpp: path, query,
// headers, body, multipart files, path matches). Every error is JSON, every request counted by route, method
// and status with a duration histogram. Add routes before serve(); serve() blocks on its own thread; stop()
// and reload_tls() are thread-safe.

#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "doorbell/config/config.hpp"
#include "doorbell/http/access.hpp"
#include "doorbell/http/request.hpp"
#include "doorbell/http/response.hpp"
#include "doorbell/http/route_table.hpp"
#include "doorbell/observability/tracer.hpp"

namespace doorbell::http {

class Server {
 public:
  using Handler = std::function<Response(const Request&)>;

  // `access` decides every request (there is no server without one: a policy without credentials opens
  // only the routes declared open). `tracer` may be null. With one, each request (but the probes) is a
  // server span, a child of an incoming W3C traceparent, and the handler runs in its context. `routes`
  // must declare every route added. Throws std::runtime_error naming http.tls_cert or http.tls_key when
  // TLS is configured and its files cannot be used.
  Server(const HttpConfig& config, prometheus::Registry& registry, const AccessPolicy& access,
         const Tracer* tracer, std::span<const RouteSpec> routes);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // `pattern` is the route's regular expression, as declared in the route table (also the `route`
  // label of the metrics). Throws std::logic_error when the table does not declare it.
  void get(const std::string& pattern, Handler handler);
  void post(const std::string& pattern, Handler handler);
  void del(const std::string& pattern, Handler handler);
  void patch(const std::string& pattern, Handler handler);
  void put(const std::string& pattern, Handler handler);
  // Every route added, as "METHOD pattern".
  std::vector<std::string> added() const;

  // Binds and listens. Throws std::runtime_error naming http.bind_address and http.port on failure.
  void bind();
  int port() const noexcept;
  // Serves until stop(); returns at once if stop() came first.
  void serve();
  void stop();
  // Reads http.tls_cert and http.tls_key again (new connections use them). Throws std::runtime_error,
  // keeping the current pair, when they cannot be used; does nothing without TLS.
  void reload_tls();
  bool tls() const noexcept;

  // Serves one request given as raw bytes, without a socket (tests, fuzzing): the gate's checks, then
  // the route; returns the response's bytes. Thread-safe as the routes it reaches are.
  std::string handle(std::string_view request, std::string_view address = "127.0.0.1");

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace doorbell::http
