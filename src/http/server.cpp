#include "doorbell/http/server.hpp"

#include <fmt/format.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <spdlog/spdlog.h>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include "doorbell/http/params.hpp"
#include "doorbell/http/request_context.hpp"
#include "admission.hpp"
#include "doorbell/http/chunked_body.hpp"
#include "gate.hpp"
#include "lane_workers.hpp"
#include "tls_context.hpp"
#include "wire.hpp"

namespace doorbell::http {
namespace {

// Set by a route's wrapper once it has counted the request; read by the error handler on the same thread.
thread_local bool tl_counted_by_route = false;
// The route the gate authorised for the request this thread is serving.
thread_local const RouteSpec* tl_authorised = nullptr;

const prometheus::Histogram::BucketBoundaries kDurationBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                               0.05,   0.1,   0.25,   0.5,   1,    2.5};

constexpr std::size_t kLaneQueue = 64;

std::chrono::steady_clock::duration to_duration(double seconds) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
}

// cpp-httplib's request processing (parsing, routing, multipart, response writing) run over a request
// the gate has already read: it never touches a socket but through a JobStream.
class Router final : public httplib::Server {
 public:
  // cpp-httplib ends streamed responses once its listening socket is gone; the router never listens,
  // so it counts as listening until shut down.
  Router() { svr_sock_ = 0; }
  void shut_down() { svr_sock_ = INVALID_SOCKET; }

  bool serve(httplib::Stream& stream, bool close_connection, bool& connection_closed) {
    return process_request(stream, close_connection, connection_closed, nullptr);
  }
};

// The stream a Router reads a job's request from and writes its response to: into the connection's
// output for the gate to send, or (streams) straight to the socket, each write within the timeout.
class JobStream final : public httplib::Stream {
 public:
  JobStream(Job& job, bool direct, std::chrono::steady_clock::duration write_timeout)
      : job_(job), direct_(direct), write_timeout_(write_timeout) {}

  bool is_readable() const override { return read_ < job_.request.size(); }
  bool is_writable() const override {
    return !direct_ || job_.connection->wait_writable(std::chrono::steady_clock::now() + write_timeout_);
  }
  ssize_t read(char* ptr, size_t size) override {
    const auto n = std::min(size, job_.request.size() - read_);
    std::memcpy(ptr, job_.request.data() + read_, n);
    read_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (!direct_) {
      job_.connection->output.append(ptr, size);
      return static_cast<ssize_t>(size);
    }
    return job_.connection->send_all({ptr, size}, std::chrono::steady_clock::now() + write_timeout_)
               ? static_cast<ssize_t>(size)
               : -1;
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = job_.connection->address();
    port = job_.connection->port();
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = job_.connection->local_address();
    port = job_.connection->local_port();
  }
  // Only for cpp-httplib's FD_SETSIZE check of select(): the gate uses epoll, so any socket number is fine.
  socket_t socket() const override { return 0; }

 private:
  Job& job_;
  const bool direct_;
  const std::chrono::steady_clock::duration write_timeout_;
  std::size_t read_ = 0;
};

std::string error_message(const httplib::Request& req, int status) {
  switch (status) {
    case 404:
      return fmt::format("no route for {} {}", req.method, req.path);
    case 400:
      return "malformed request";
    default:
      return fmt::format("HTTP error {}", status);
  }
}

}  // namespace

struct Server::Impl {
  Impl(const HttpConfig& http, prometheus::Registry& registry, const Tracer* tracing,
       const AccessPolicy* access_policy, std::span<const RouteSpec> routes)
      : config(http),
        tracer(tracing),
        access(access_policy),
        table(routes),
        tls(http.tls_cert.empty() ? nullptr : std::make_unique<TlsContext>(http.tls_cert, http.tls_key)),
        requests(prometheus::BuildCounter()
                     .Name("doorbell_http_requests_total")
                     .Help("HTTP requests answered, by route pattern, method and status")
                     .Register(registry)),
        durations(prometheus::BuildHistogram()
                      .Name("doorbell_http_request_duration_seconds")
                      .Help("Time spent in route handlers, by route pattern")
                      .Register(registry)),
        exceptions(prometheus::BuildCounter()
                       .Name("doorbell_http_handler_exceptions_total")
                       .Help("Route handlers that threw, answered with 500")
                       .Register(registry)),
        gate(http, table, access_policy, tls.get(),
             {[this](Job& job) { return dispatch(job); },
              [this](std::string_view route, std::string_view method, int status) {
                record(std::string(route), std::string(method), status);
              }},
             registry) {
    router.set_keep_alive_timeout(static_cast<time_t>(http.keep_alive_seconds));
    router.set_keep_alive_max_count(100);
    router.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                                {"Referrer-Policy", "no-referrer"},
                                {"X-Frame-Options", "DENY"}});
    // Errors cpp-httplib finds itself (a malformed multipart body) are counted and answered in JSON here;
    // the flag set by a route's wrapper is cleared before each request.
    router.set_error_handler(
        httplib::Server::HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
          if (tl_counted_by_route) return httplib::Server::HandlerResponse::Unhandled;  // a route's own answer
          record("unmatched", std::string(method_label(req.method)), res.status);
          auto error = json_error(res.status, error_message(req, res.status));
          res.set_content(error.body, error.content_type);
          return httplib::Server::HandlerResponse::Handled;
        }));
    router.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
      tl_counted_by_route = false;
      return httplib::Server::HandlerResponse::Unhandled;
    });
  }

  bool dispatch(Job& job) {
    std::lock_guard lock(lanes_mutex);
    if (!probe_lane) return false;  // not serving (yet, or any more)
    switch (job.route->lane) {
      case Lane::probe:
        return probe_lane->offer(job);
      case Lane::stream:
        return stream_lane->offer(job);
      case Lane::api:
        break;
    }
    return api_lane->offer(job);
  }

  void serve_job(Job& job, bool direct) {
    RequestContext context{job.principal, job.connection->address(), job.connection->tls()};
    const ScopedRequestContext in_request(context);
    tl_authorised = job.route;
    tl_counted_by_route = false;
    JobStream stream(job, direct, to_duration(config.request_timeout_seconds));
    bool closed = false;
    const bool written = router.serve(stream, job.close_after || direct, closed);
    job.keep_alive = written && !closed && !job.close_after && !direct;
    tl_authorised = nullptr;
  }

  void start_lanes() {
    const auto done = [this](Job&& job) { gate.give_back(std::move(job)); };
    std::lock_guard lock(lanes_mutex);
    probe_lane = std::make_unique<LaneWorkers>(
        1, kLaneQueue, [this](Job& job) { serve_job(job, false); }, done);
    api_lane = std::make_unique<LaneWorkers>(
        config.threads, kLaneQueue, [this](Job& job) { serve_job(job, false); }, done);
    stream_lane = std::make_unique<LaneWorkers>(
        config.stream_max_clients + 1, static_cast<std::size_t>(config.stream_max_clients) + 1,
        [this](Job& job) { serve_job(job, true); }, done);
  }

  void stop_lanes() {
    std::unique_ptr<LaneWorkers> probe, api, stream;
    {
      std::lock_guard lock(lanes_mutex);
      probe.swap(probe_lane);
      api.swap(api_lane);
      stream.swap(stream_lane);
    }
    // Destroyed here: each lane finishes the jobs in hand and joins its threads.
  }

  httplib::Server::Handler wrap(const RouteSpec& spec, Handler handler);

  void record(const std::string& route, const std::string& method, int status) {
    requests.Add({{"route", route}, {"method", method}, {"status", std::to_string(status)}}).Increment();
  }

  const HttpConfig config;
  const Tracer* tracer;
  const AccessPolicy* access;
  RouteTable table;
  std::unique_ptr<TlsContext> tls;
  Router router;
  std::vector<std::string> added;
  prometheus::Family<prometheus::Counter>& requests;
  prometheus::Family<prometheus::Histogram>& durations;
  prometheus::Family<prometheus::Counter>& exceptions;
  std::mutex run_mutex;
  bool stop_requested = false;  // guarded by run_mutex
  std::mutex lanes_mutex;
  std::unique_ptr<LaneWorkers> probe_lane;  // guarded by lanes_mutex; set while serving
  std::unique_ptr<LaneWorkers> api_lane;
  std::unique_ptr<LaneWorkers> stream_lane;
  Gate gate;  // last: its hooks use the members above
};

httplib::Server::Handler Server::Impl::wrap(const RouteSpec& spec, Handler handler) {
  const std::string pattern(spec.pattern);
  auto& duration = durations.Add({{"route", pattern}}, kDurationBuckets);
  auto& thrown = exceptions.Add({{"route", pattern}});
  const bool traced = tracer != nullptr && spec.lane != Lane::probe;
  return [this, &spec, pattern, traced, handler = std::move(handler), &duration, &thrown](
             const httplib::Request& req, httplib::Response& res) {
    const auto start = std::chrono::steady_clock::now();
    Span span;
    if (traced) {
      const auto incoming = parse_traceparent(req.get_header_value("traceparent"));
      span = incoming ? tracer->start(req.method + " " + pattern, SpanKind::server, incoming)
                      : tracer->start_root(req.method + " " + pattern, SpanKind::server);
      span.set("http.request.method", req.method).set("http.route", pattern).set("url.path", req.path);
    }
    ScopedSpanContext in_request(traced ? std::optional(span.context()) : std::nullopt);
    Response out;
    if (tl_authorised != &spec) {
      // The gate decided access for another route than the one routed to: never serve it.
      spdlog::error("{} {}: routed to {} but authorised for {}", req.method, req.path, pattern,
                    tl_authorised != nullptr ? std::string(tl_authorised->pattern) : "nothing");
      out = json_error(500, "internal error");
    } else {
      try {
        out = handler(req);
      } catch (const BadRequest& e) {
        out = json_error(400, e.what(), "invalid_request");
      } catch (const std::exception& e) {
        spdlog::error("{} {}: handler threw: {}", req.method, req.path, e.what());
        thrown.Increment();
        out = json_error(500, "internal error");
      } catch (...) {
        spdlog::error("{} {}: handler threw an unknown exception", req.method, req.path);
        thrown.Increment();
        out = json_error(500, "internal error");
      }
    }
    res.status = out.status;
    for (auto& [name, value] : out.headers) res.headers.emplace(name, std::move(value));
    if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
    if (out.stream) {
      res.set_chunked_content_provider(
          out.content_type, [stream = std::move(out.stream)](std::size_t, httplib::DataSink& sink) {
            stream([&sink](std::string_view piece) {
              return sink.is_writable() && sink.write(piece.data(), piece.size());
            });
            sink.done();
            return true;
          });
    } else {
      res.body = std::move(out.body);
      res.set_header("Content-Type", out.content_type);
    }
    duration.Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    record(pattern, std::string(method_label(req.method)), out.status);
    span.set("http.response.status_code", static_cast<std::int64_t>(out.status));
    if (out.status >= 500) span.set_error(fmt::format("HTTP {}", out.status));
    tl_counted_by_route = true;
  };
}

Server::Server(const HttpConfig& config, prometheus::Registry& registry, const Tracer* tracer,
               const AccessPolicy* access, std::span<const RouteSpec> routes)
    : impl_(std::make_unique<Impl>(config, registry, tracer, access, routes)) {}

Server::~Server() = default;

namespace {

const RouteSpec& declared(const RouteTable& table, std::string_view method, const std::string& pattern) {
  const auto* spec = table.declared(method, pattern);
  if (spec == nullptr) {
    throw std::logic_error(fmt::format(
        "route {} {} has no access decision: declare it in the route table (src/http/route_table.cpp)", method,
        pattern));
  }
  return *spec;
}

}  // namespace

void Server::get(const std::string& pattern, Handler handler) {
  const auto& spec = declared(impl_->table, "GET", pattern);
  impl_->router.Get(pattern, impl_->wrap(spec, std::move(handler)));
  impl_->added.push_back("GET " + pattern);
}

void Server::post(const std::string& pattern, Handler handler) {
  const auto& spec = declared(impl_->table, "POST", pattern);
  impl_->router.Post(pattern, impl_->wrap(spec, std::move(handler)));
  impl_->added.push_back("POST " + pattern);
}

void Server::del(const std::string& pattern, Handler handler) {
  const auto& spec = declared(impl_->table, "DELETE", pattern);
  impl_->router.Delete(pattern, impl_->wrap(spec, std::move(handler)));
  impl_->added.push_back("DELETE " + pattern);
}

std::vector<std::string> Server::added() const {
  return impl_->added;
}

void Server::bind() {
  impl_->gate.bind();
}

int Server::port() const noexcept {
  return impl_->gate.port();
}

void Server::serve() {
  {
    std::lock_guard lock(impl_->run_mutex);
    if (impl_->stop_requested) return;
    impl_->start_lanes();
  }
  impl_->gate.run();
  impl_->stop_lanes();
}

void Server::stop() {
  {
    std::lock_guard lock(impl_->run_mutex);
    impl_->stop_requested = true;
  }
  impl_->router.shut_down();  // streamed responses end
  impl_->gate.stop();
}

void Server::reload_tls() {
  if (impl_->tls) impl_->tls->reload();
}

bool Server::tls() const noexcept {
  return impl_->tls != nullptr;
}

std::string Server::handle(std::string_view request, std::string_view address) {
  auto parsed = parse_request_head(request);
  if (parsed.problem != HeadProblem::none) {
    const int status = parsed.problem == HeadProblem::incomplete ? 400 : status_of(parsed.problem);
    return closing_error(status, parsed.problem == HeadProblem::incomplete ? "incomplete request" : parsed.message);
  }
  const auto& head = parsed.head;
  auto admission = admit(head, {impl_->table, impl_->access,
                                static_cast<std::size_t>(impl_->config.max_body_bytes), address, false});
  if (!admission.admitted()) return std::move(admission.answer);
  const auto rest = request.substr(head.head_bytes);
  std::string body;
  if (admission.chunked) {
    ChunkedBody decoder(admission.body_limit);
    std::size_t used = 0;
    const auto status = decoder.feed(rest, used, body);
    if (status == ChunkedBody::Status::too_large) {
      return closing_error(413, too_large_message(*admission.route, head, admission.body_limit));
    }
    if (status != ChunkedBody::Status::done) return closing_error(400, "malformed chunked request body");
  } else {
    if (rest.size() < admission.body_length) return closing_error(400, "the body is shorter than its Content-Length");
    body = rest.substr(0, admission.body_length);
  }
  // A connection on one end of a socket pair: the lane code runs unchanged, its output stays in memory.
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) throw std::runtime_error("socketpair failed");
  ::close(pair[1]);
  Job job;
  job.connection = std::make_unique<Connection>(pair[0], std::string(address), 0, "127.0.0.1", 0);
  job.request = canonical_head(head, body.size()) + body;
  job.route = admission.route;
  job.principal = std::move(admission.principal);
  job.close_after = true;
  impl_->serve_job(job, false);
  return std::move(job.connection->output);
}

}  // namespace doorbell::http
