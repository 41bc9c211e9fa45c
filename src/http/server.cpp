#include "doorbell/http/server.hpp"

#include <fmt/format.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include "admission.hpp"
#include "doorbell/common/clock.hpp"
#include "doorbell/http/chunked_body.hpp"
#include "doorbell/http/multipart.hpp"
#include "doorbell/http/request_context.hpp"
#include "doorbell/http/url_text.hpp"
#include "doorbell/storage/database.hpp"
#include "gate.hpp"
#include "lane_workers.hpp"
#include "tls_context.hpp"
#include "wire.hpp"

namespace doorbell::http {
namespace {

const prometheus::Histogram::BucketBoundaries kDurationBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                               0.05,   0.1,   0.25,   0.5,   1,    2.5};

constexpr std::size_t kLaneQueue = 64;
// Logins waiting for the password check's thread; more are answered 503 at once.
constexpr std::size_t kLoginQueue = 16;

// The request a handler sees, made from what the gate read. Filled in place: `matches` refers to `path`.
void fill_request(Request& req, Job& job, const std::regex& pattern) {
  const auto& head = job.head;
  req.method = head.method;
  req.version = head.version;
  req.target = head.target;
  req.path = percent_decode(head.path);
  req.headers = head.headers;
  if (const auto q = head.target.find('?'); q != std::string::npos) {
    req.params = parse_query(std::string_view(head.target).substr(q + 1));
  }
  req.remote_addr = job.connection->address();
  req.remote_port = job.connection->port();
  req.body = std::move(job.body);
  std::regex_match(req.path, req.matches, pattern);
  if (const auto boundary = multipart_boundary(req.header("Content-Type"))) {
    parse_multipart(req.body, *boundary, req.files);
  }
}

}  // namespace

struct Server::Impl {
  Impl(const HttpConfig& http, prometheus::Registry& registry, const AccessPolicy& access_policy,
       const Tracer* tracing, std::span<const RouteSpec> routes)
      : config(http),
        tracer(tracing),
        access(access_policy),
        table(routes),
        handlers(routes.size()),
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
             {[this](Job& job) { return answer_here(job); }, [this](Job& job) { return dispatch(job); },
              [this](std::string_view route, std::string_view method, int status) {
                record(std::string(route), std::string(method), status);
              }},
             registry) {}

  // A registered route: its handler and the series it is measured in.
  struct Entry {
    Handler handler;
    prometheus::Histogram* duration = nullptr;
    prometheus::Counter* thrown = nullptr;
  };

  void add(std::string_view method, const std::string& pattern, Handler handler) {
    const auto* spec = table.declared(method, pattern);
    if (spec == nullptr) {
      throw std::logic_error(fmt::format(
          "route {} {} has no access decision: declare it in the route table (src/http/route_table.cpp)",
          method, pattern));
    }
    auto& entry = handlers[table.index_of(*spec)];
    entry.handler = std::move(handler);
    entry.duration = &durations.Add({{"route", pattern}}, kDurationBuckets);
    entry.thrown = &exceptions.Add({{"route", pattern}});
    added.push_back(fmt::format("{} {}", method, pattern));
  }

  // Liveness and readiness on the gate's own thread: constant-time answers that take no lock a client
  // can hold, without thread hand-offs that a busy CPU delays (p99 at 2,000/s). The gate calls it only
  // while it runs, that is while serving.
  bool answer_here(Job& job) {
    if (job.route->lane != Lane::probe || job.route->access != Access::open) return false;
    serve_job(job);
    return true;
  }

  bool dispatch(Job& job) {
    std::lock_guard lock(lanes_mutex);
    if (!probe_lane) return false;  // not serving (yet, or any more)
    switch (job.route->lane) {
      case Lane::probe:
        return probe_lane->offer(job);
      case Lane::stream:
        return stream_lane->offer(job);
      case Lane::login:
        return login_lane->offer(job);
      case Lane::api:
        break;
    }
    return api_lane->offer(job);
  }

  // Runs the job's handler and leaves the answer in the connection's output for the gate to send (a
  // streamed answer, on the stream lane, is written to the socket here).
  void serve_job(Job& job) {
    const auto& spec = *job.route;
    const std::string pattern(spec.pattern);
    const auto method = std::string(method_label(job.head.method));
    const bool head_only = job.head.method == "HEAD";
    const auto& entry = handlers[table.index_of(spec)];
    const RequestContext context{job.principal, job.connection->address(), job.connection->tls()};
    const ScopedRequestContext in_request(context);

    const auto start = std::chrono::steady_clock::now();
    Request req;
    Response out;
    Span span;
    try {
      fill_request(req, job, table.pattern(spec));
      if (!entry.handler) {
        out = json_error(
            503, fmt::format("{} {} is not available: a component it needs is not ready (see /api/ready)",
                             job.head.method, pattern));
      } else {
        if (tracer != nullptr && spec.lane != Lane::probe) {
          const auto incoming = parse_traceparent(req.header("traceparent"));
          span = incoming ? tracer->start(req.method + " " + pattern, SpanKind::server, incoming)
                          : tracer->start_root(req.method + " " + pattern, SpanKind::server);
          span.set("http.request.method", req.method).set("http.route", pattern).set("url.path", req.path);
        }
        const ScopedSpanContext in_span(span.recording() ? std::optional(span.context()) : std::nullopt);
        out = entry.handler(req);
      }
    } catch (const BadRequest& e) {
      out = json_error(400, e.what(), "invalid_request");
    } catch (const storage::DatabaseError& e) {  // not the client's doing, and likely to pass
      spdlog::error("{} {}: records unavailable: {}", job.head.method, job.head.path, e.what());
      out = json_error(503, "the household's records are unavailable; try again shortly (see /api/ready)",
                       "storage_unavailable");
    } catch (const std::exception& e) {
      spdlog::error("{} {}: handler threw: {}", job.head.method, job.head.path, e.what());
      if (entry.thrown != nullptr) entry.thrown->Increment();
      out = json_error(500, "internal error");
    } catch (...) {
      spdlog::error("{} {}: handler threw an unknown exception", job.head.method, job.head.path);
      if (entry.thrown != nullptr) entry.thrown->Increment();
      out = json_error(500, "internal error");
    }
    if (entry.duration != nullptr) {
      entry.duration->Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    record(pattern, method, out.status);
    span.set("http.response.status_code", static_cast<std::int64_t>(out.status));
    if (out.status >= 500) span.set_error(fmt::format("HTTP {}", out.status));
    span.end();

    auto& conn = *job.connection;
    if (out.stream && !head_only) {
      stream_answer(conn, out);
      job.keep_alive = false;
      return;
    }
    job.keep_alive = !job.close_after && job.head.keep_alive();
    conn.output = response_head(out, job.keep_alive, out.body.size());
    if (!head_only) conn.output += out.body;
  }

  // A long-lived answer in chunked encoding, each piece written within the request timeout; it ends
  // when the client goes, the stream ends or the server stops.
  void stream_answer(Connection& conn, const Response& out) {
    const auto timeout = ticks(config.request_timeout_seconds);
    const auto send = [&](std::string_view bytes) {
      return !stopping && conn.send_all(bytes, std::chrono::steady_clock::now() + timeout);
    };
    if (!send(response_head(out, false, std::nullopt))) return;
    out.stream([&](std::string_view piece) {
      return piece.empty() || send(fmt::format("{:x}\r\n", piece.size()) + std::string(piece) + "\r\n");
    });
    send("0\r\n\r\n");
  }

  void start_lanes() {
    const auto done = [this](Job&& job) { gate.give_back(std::move(job)); };
    const auto serve = [this](Job& job) { serve_job(job); };
    std::lock_guard lock(lanes_mutex);
    probe_lane = std::make_unique<LaneWorkers>(1, kLaneQueue, serve, done);
    api_lane = std::make_unique<LaneWorkers>(config.threads, kLaneQueue, serve, done);
    stream_lane = std::make_unique<LaneWorkers>(
        config.stream_max_clients + 1, static_cast<std::size_t>(config.stream_max_clients) + 1, serve, done);
    login_lane = std::make_unique<LaneWorkers>(1, kLoginQueue, serve, done);
  }

  void stop_lanes() {
    std::unique_ptr<LaneWorkers> probe, api, stream, login;
    {
      std::lock_guard lock(lanes_mutex);
      probe.swap(probe_lane);
      api.swap(api_lane);
      stream.swap(stream_lane);
      login.swap(login_lane);
    }
    // Destroyed here: each lane finishes the jobs in hand and joins its threads.
  }

  void record(const std::string& route, const std::string& method, int status) {
    requests.Add({{"route", route}, {"method", method}, {"status", std::to_string(status)}}).Increment();
  }

  const HttpConfig config;
  const Tracer* tracer;
  const AccessPolicy& access;
  RouteTable table;
  std::vector<Entry> handlers;  // by route table index; set before serve()
  std::unique_ptr<TlsContext> tls;
  std::vector<std::string> added;
  prometheus::Family<prometheus::Counter>& requests;
  prometheus::Family<prometheus::Histogram>& durations;
  prometheus::Family<prometheus::Counter>& exceptions;
  std::atomic<bool> stopping{false};  // streamed answers end
  std::mutex run_mutex;
  bool stop_requested = false;  // guarded by run_mutex
  std::mutex lanes_mutex;
  std::unique_ptr<LaneWorkers> probe_lane;  // guarded by lanes_mutex; set while serving
  std::unique_ptr<LaneWorkers> api_lane;
  std::unique_ptr<LaneWorkers> stream_lane;
  std::unique_ptr<LaneWorkers> login_lane;
  Gate gate;  // last: its hooks use the members above
};

Server::Server(const HttpConfig& config, prometheus::Registry& registry, const AccessPolicy& access,
               const Tracer* tracer, std::span<const RouteSpec> routes)
    : impl_(std::make_unique<Impl>(config, registry, access, tracer, routes)) {}

Server::~Server() = default;

void Server::get(const std::string& pattern, Handler handler) {
  impl_->add("GET", pattern, std::move(handler));
}

void Server::post(const std::string& pattern, Handler handler) {
  impl_->add("POST", pattern, std::move(handler));
}

void Server::del(const std::string& pattern, Handler handler) {
  impl_->add("DELETE", pattern, std::move(handler));
}

void Server::patch(const std::string& pattern, Handler handler) {
  impl_->add("PATCH", pattern, std::move(handler));
}

void Server::put(const std::string& pattern, Handler handler) {
  impl_->add("PUT", pattern, std::move(handler));
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
  impl_->stopping = true;  // streamed answers end
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
    const bool incomplete = parsed.problem == HeadProblem::incomplete;
    return closing_error(incomplete ? 400 : status_of(parsed.problem),
                         incomplete ? "incomplete request" : parsed.message);
  }
  auto admission = admit(
      parsed.head,
      {impl_->table, impl_->access, static_cast<std::size_t>(impl_->config.max_body_bytes), address, false});
  if (!admission.admitted()) return std::move(admission.answer);
  const auto rest = request.substr(parsed.head.head_bytes);
  Job job;
  if (admission.chunked) {
    ChunkedBody decoder(admission.body_limit);
    std::size_t used = 0;
    const auto status = decoder.feed(rest, used, job.body);
    if (status == ChunkedBody::Status::too_large) {
      return closing_error(413, too_large_message(*admission.route, parsed.head, admission.body_limit));
    }
    if (status != ChunkedBody::Status::done) return closing_error(400, "malformed chunked request body");
  } else {
    if (rest.size() < admission.body_length)
      return closing_error(400, "the body is shorter than its Content-Length");
    job.body = rest.substr(0, admission.body_length);
  }
  // A connection on one end of a socket pair: the lane code runs unchanged, its answer stays in memory.
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    throw std::runtime_error("socketpair failed");
  ::close(pair[1]);
  job.connection = std::make_unique<Connection>(pair[0], std::string(address), 0, "127.0.0.1", 0);
  job.head = std::move(parsed.head);
  job.route = admission.route;
  job.principal = std::move(admission.principal);
  job.close_after = true;
  if (job.route->lane == Lane::stream)
    return closing_error(501, "streamed routes are not served without a socket");
  impl_->serve_job(job);
  return std::move(job.connection->output);
}

}  // namespace doorbell::http
