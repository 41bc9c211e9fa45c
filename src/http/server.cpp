#include "doorbell/http/server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <stdexcept>
#include <thread>
#include <utility>

namespace doorbell::http {
namespace {

// Set by a route's wrapper once it has counted the request; read by the error handler on the same thread.
thread_local bool tl_counted_by_route = false;

const prometheus::Histogram::BucketBoundaries kDurationBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                               0.05,   0.1,   0.25,   0.5,   1,    2.5};

std::string error_message(const httplib::Request& req, int status, const HttpConfig& config) {
  switch (status) {
    case 404:
      return fmt::format("no route for {} {}", req.method, req.path);
    case 413:
      if (req.get_header_value("Content-Type") == "application/x-www-form-urlencoded") {
        return "form-encoded bodies are limited to 8 KiB: send images as image/jpeg, image/png or "
               "multipart/form-data";
      }
      return fmt::format("request body larger than http.max_body_bytes ({} bytes)", config.max_body_bytes);
    case 414:
      return "request URI too long";
    case 400:
      return "malformed request";
    default:
      return fmt::format("HTTP error {}", status);
  }
}

std::chrono::microseconds to_micros(double seconds) {
  return std::chrono::microseconds(static_cast<std::int64_t>(seconds * 1e6));
}

}  // namespace

Server::Server(const HttpConfig& config, prometheus::Registry& registry, const Tracer* tracer)
    : config_(config),
      tracer_(tracer),
      requests_(prometheus::BuildCounter()
                    .Name("doorbell_http_requests_total")
                    .Help("HTTP requests answered, by route pattern, method and status")
                    .Register(registry)),
      durations_(prometheus::BuildHistogram()
                     .Name("doorbell_http_request_duration_seconds")
                     .Help("Time spent in route handlers, by route pattern")
                     .Register(registry)),
      exceptions_(prometheus::BuildCounter()
                      .Name("doorbell_http_handler_exceptions_total")
                      .Help("Route handlers that threw, answered with 500")
                      .Register(registry)) {
  const auto threads = static_cast<std::size_t>(config_.threads);
  server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // httplib's default also sets SO_REUSEPORT, which would let a second daemon share the port unnoticed.
  server_.set_socket_options([](int sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server_.set_payload_max_length(static_cast<std::size_t>(config_.max_body_bytes));
  server_.set_read_timeout(to_micros(config_.request_timeout_seconds));
  server_.set_write_timeout(to_micros(config_.request_timeout_seconds));
  // Requests that matched no route (404) or were refused before routing (400, 413, 414) are counted
  // here, before the answer is written; the flag set by a route's wrapper is cleared after every
  // answer (logger) and, in case a write failed, before routing.
  server_.set_error_handler(
      httplib::Server::HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
        if (tl_counted_by_route) return httplib::Server::HandlerResponse::Unhandled;  // a route's own answer
        record("unmatched", req.method, res.status);
        auto error = json_error(res.status, error_message(req, res.status, config_));
        res.set_content(error.body, error.content_type);
        return httplib::Server::HandlerResponse::Handled;
      }));
  server_.set_logger([](const httplib::Request&, const httplib::Response&) { tl_counted_by_route = false; });
  server_.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    tl_counted_by_route = false;
    return httplib::Server::HandlerResponse::Unhandled;
  });
}

void Server::get(const std::string& pattern, Handler handler) {
  server_.Get(pattern, wrap(pattern, std::move(handler)));
}

void Server::post(const std::string& pattern, Handler handler) {
  server_.Post(pattern, wrap(pattern, std::move(handler)));
}

void Server::del(const std::string& pattern, Handler handler) {
  server_.Delete(pattern, wrap(pattern, std::move(handler)));
}

httplib::Server::Handler Server::wrap(const std::string& pattern, Handler handler) {
  auto& duration = durations_.Add({{"route", pattern}}, kDurationBuckets);
  auto& exceptions = exceptions_.Add({{"route", pattern}});
  const bool traced =
      tracer_ != nullptr && pattern != "/metrics" && pattern != "/api/health" && pattern != "/api/ready";
  return [this, pattern, traced, handler = std::move(handler), &duration, &exceptions](
             const httplib::Request& req, httplib::Response& res) {
    const auto start = std::chrono::steady_clock::now();
    Span span;
    if (traced) {
      const auto incoming = parse_traceparent(req.get_header_value("traceparent"));
      span = incoming ? tracer_->start(req.method + " " + pattern, SpanKind::server, incoming)
                      : tracer_->start_root(req.method + " " + pattern, SpanKind::server);
      span.set("http.request.method", req.method).set("http.route", pattern).set("url.path", req.path);
    }
    ScopedSpanContext in_request(traced ? std::optional(span.context()) : std::nullopt);
    Response out;
    try {
      out = handler(req);
    } catch (const std::exception& e) {
      spdlog::error("{} {}: handler threw: {}", req.method, req.path, e.what());
      exceptions.Increment();
      out = json_error(500, "internal error");
    } catch (...) {
      spdlog::error("{} {}: handler threw an unknown exception", req.method, req.path);
      exceptions.Increment();
      out = json_error(500, "internal error");
    }
    res.status = out.status;
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
    record(pattern, req.method, out.status);
    span.set("http.response.status_code", static_cast<std::int64_t>(out.status));
    if (out.status >= 500) span.set_error(fmt::format("HTTP {}", out.status));
    tl_counted_by_route = true;
  };
}

void Server::record(const std::string& route, const std::string& method, int status) {
  requests_.Add({{"route", route}, {"method", method}, {"status", std::to_string(status)}}).Increment();
}

void Server::bind() {
  if (!server_.bind_to_port(config_.bind_address, config_.port)) {
    throw std::runtime_error(
        fmt::format("http.bind_address/http.port: cannot listen on {}:{} (address not local, port in use, or "
                    "no permission)",
                    config_.bind_address, config_.port));
  }
  port_ = config_.port;
}

void Server::serve() {
  {
    std::lock_guard lock(run_mutex_);
    if (stop_requested_) return;
    serving_ = true;
  }
  server_.listen_after_bind();
  serving_ = false;
}

void Server::stop() {
  {
    std::lock_guard lock(run_mutex_);
    stop_requested_ = true;
  }
  // httplib's stop() is a no-op until the accept loop runs: wait for it (or for serve() to end).
  while (serving_ && !server_.is_running()) std::this_thread::yield();
  server_.stop();
}

}  // namespace doorbell::http
