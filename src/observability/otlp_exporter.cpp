#include "doorbell/observability/otlp_exporter.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "doorbell/common/build_info.hpp"
#include "doorbell/common/clock.hpp"
#include "doorbell/common/hex.hpp"
#include "doorbell/common/interruptible_sleep.hpp"
#include "doorbell/common/json_text.hpp"
#include "doorbell/common/url.hpp"

namespace doorbell {
namespace {

using nlohmann::json;
using Steady = std::chrono::steady_clock;

json any_value(const AttributeValue& v) {
  return std::visit(
      [](const auto& x) -> json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) return {{"stringValue", x}};
        if constexpr (std::is_same_v<T, std::int64_t>) return {{"intValue", std::to_string(x)}};
        if constexpr (std::is_same_v<T, double>) return {{"doubleValue", x}};
        if constexpr (std::is_same_v<T, bool>) return {{"boolValue", x}};
      },
      v);
}

json attributes_json(const Attributes& attributes) {
  auto out = json::array();
  for (const auto& [key, value] : attributes) out.push_back({{"key", key}, {"value", any_value(value)}});
  return out;
}

json span_json(const SpanData& s) {
  json j{{"traceId", s.context.trace_id_hex()},
         {"spanId", s.context.span_id_hex()},
         {"name", s.name},
         {"kind", static_cast<int>(s.kind)},
         {"startTimeUnixNano", std::to_string(s.start_unix_ns)},
         {"endTimeUnixNano", std::to_string(s.end_unix_ns)}};
  if (s.parent_span_id) {
    SpanContext parent;
    parent.span_id = *s.parent_span_id;
    j["parentSpanId"] = parent.span_id_hex();
  }
  if (!s.attributes.empty()) j["attributes"] = attributes_json(s.attributes);
  if (!s.events.empty()) {
    auto events = json::array();
    for (const auto& e : s.events) {
      json event{{"timeUnixNano", std::to_string(e.time_unix_ns)}, {"name", e.name}};
      if (!e.attributes.empty()) event["attributes"] = attributes_json(e.attributes);
      events.push_back(std::move(event));
    }
    j["events"] = std::move(events);
  }
  if (s.status != SpanStatus::unset) {
    json status{{"code", static_cast<int>(s.status)}};
    if (!s.status_message.empty()) status["message"] = s.status_message;
    j["status"] = std::move(status);
  }
  return j;
}

std::string host_name() {
  char name[256] = {};
  return ::gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string("unknown");
}

// Seconds to wait from a Retry-After header (delay-seconds form); the HTTP-date form falls back to none.
std::optional<double> retry_after(const httplib::Result& r) {
  if (!r || !r->has_header("Retry-After")) return std::nullopt;
  try {
    return std::stod(r->get_header_value("Retry-After"));
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

ResourceAttributes resource_attributes(const TracingConfig& config) {
  ResourceAttributes out{{"service.name", "doorbelld"},
                         {"service.version", build_version()},
                         {"service.instance.id", random_hex(16)},
                         {"host.name", host_name()}};
  std::stringstream extras(config.resource_attributes);
  for (std::string item; std::getline(extras, item, ',');) {
    const auto eq = item.find('=');
    if (eq != std::string::npos && eq > 0) out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return out;
}

json otlp_json(const ResourceAttributes& resource, const std::vector<SpanData>& spans) {
  auto resource_json = json::array();
  for (const auto& [key, value] : resource)
    resource_json.push_back({{"key", key}, {"value", {{"stringValue", value}}}});
  auto spans_json = json::array();
  for (const auto& s : spans) spans_json.push_back(span_json(s));
  return {
      {"resourceSpans",
       {{{"resource", {{"attributes", resource_json}}},
         {"scopeSpans",
          {{{"scope", {{"name", "doorbelld"}, {"version", build_version()}}}, {"spans", spans_json}}}}}}}};
}

std::string otlp_json_text(const ResourceAttributes& resource, const std::vector<SpanData>& spans) {
  return json_text(otlp_json(resource, spans));
}

OtlpExporter::OtlpExporter(const TracingConfig& config, prometheus::Registry& registry, Component& component)
    : config_(config),
      endpoint_(*parse_url(config.endpoint)),  // checked when the configuration was loaded
      resource_(resource_attributes(config)),
      queue_(static_cast<std::size_t>(config.queue_capacity), OverflowPolicy::reject_newest),
      started_(prometheus::BuildCounter()
                   .Name("doorbell_spans_started_total")
                   .Help("Sampled spans started")
                   .Register(registry)
                   .Add({})),
      exported_(prometheus::BuildCounter()
                    .Name("doorbell_spans_exported_total")
                    .Help("Spans accepted by the OTLP receiver")
                    .Register(registry)
                    .Add({})),
      dropped_(prometheus::BuildCounter()
                   .Name("doorbell_spans_dropped_total")
                   .Help("Spans lost: the export queue was full, or the receiver could not take them in time")
                   .Register(registry)
                   .Add({})),
      failures_(prometheus::BuildCounter()
                    .Name("doorbell_span_export_failures_total")
                    .Help("OTLP export requests that failed (each retry counts)")
                    .Register(registry)
                    .Add({})),
      export_seconds_(prometheus::BuildHistogram()
                          .Name("doorbell_span_export_seconds")
                          .Help("Time of one OTLP export request")
                          .Register(registry)
                          .Add({}, prometheus::Histogram::BucketBoundaries{0.005, 0.01, 0.025, 0.05, 0.1,
                                                                           0.25, 0.5, 1, 2.5, 5})),
      component_(component) {}

OtlpExporter::~OtlpExporter() {
  stop(std::chrono::milliseconds(0));
}

void OtlpExporter::on_end(SpanData&& span) {
  if (queue_.push(std::move(span)) == PushResult::rejected) dropped_.Increment();
}

void OtlpExporter::start() {
  worker_ = std::make_unique<Worker>(component_,
                                     [this](std::stop_token stop, Component& self) { run(stop, self); });
}

void OtlpExporter::stop(std::chrono::milliseconds deadline) {
  stop_deadline_ = Steady::now() + deadline;
  stop_worker(worker_);
}

void OtlpExporter::run(std::stop_token stop, Component& self) {
  self.set_ready();
  const auto interval = ticks(config_.flush_interval_seconds);
  const auto batch_size = static_cast<std::size_t>(config_.batch_size);
  std::vector<SpanData> batch;
  auto flush_at = Steady::now() + interval;
  while (!stop.stop_requested()) {
    self.beat();
    if (auto span = queue_.pop_for(std::chrono::milliseconds(100))) batch.push_back(std::move(*span));
    if (batch.size() >= batch_size || (Steady::now() >= flush_at && !batch.empty())) {
      export_batch(batch, Steady::now() + interval, false, stop);
      flush_at = Steady::now() + interval;
    } else if (batch.empty()) {
      flush_at = Steady::now() + interval;
    }
  }
  // Shutting down: what is left, within the deadline.
  while (auto span = queue_.try_pop()) batch.push_back(std::move(*span));
  while (!batch.empty() && Steady::now() < stop_deadline_) export_batch(batch, stop_deadline_, true, {});
  if (!batch.empty()) {
    dropped_.Increment(static_cast<double>(batch.size()));
    spdlog::warn("tracing: {} span(s) not exported before the shutdown deadline", batch.size());
  }
}

void OtlpExporter::export_batch(std::vector<SpanData>& all, Steady::time_point give_up_at, bool final,
                                std::stop_token stop) {
  const auto count = std::min(all.size(), static_cast<std::size_t>(config_.batch_size));
  std::vector<SpanData> batch(std::make_move_iterator(all.begin()),
                              std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(count)));
  all.erase(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(count));
  const auto body = otlp_json_text(resource_, batch);
  httplib::Client client(endpoint_.origin());
  auto timeout = std::chrono::duration_cast<std::chrono::microseconds>(config_.timeout_seconds);
  if (final) {  // the shutdown deadline is a hard limit: a slow receiver must not overrun it
    timeout = std::clamp(std::chrono::duration_cast<std::chrono::microseconds>(give_up_at - Steady::now()),
                         std::chrono::microseconds(1000), timeout);
  }
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  client.set_compress(config_.gzip);
  // A stop abandons the request in flight; the batch goes back for the final flush, which has the
  // shutdown deadline to itself.
  std::stop_callback cancel(stop, [&client] { client.stop(); });
  const auto put_back = [&] {
    all.insert(all.begin(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
  };
  double backoff = 0.5;
  for (;;) {
    const auto start = Steady::now();
    const auto result = client.Post(endpoint_.path, body, "application/json");
    export_seconds_.Observe(std::chrono::duration<double>(Steady::now() - start).count());
    if (result && result->status >= 200 && result->status < 300) {
      exported_.Increment(static_cast<double>(batch.size()));
      return;
    }
    failures_.Increment();
    if (stop.stop_requested()) {
      put_back();
      return;
    }
    const bool retryable = !result || result->status == 429 || result->status == 502 ||
                           result->status == 503 || result->status == 504;
    const double wait = retry_after(result).value_or(backoff);
    const auto why = result ? fmt::format("HTTP {}", result->status) : httplib::to_string(result.error());
    if (!retryable || Steady::now() + std::chrono::duration<double>(wait) >= give_up_at) {
      dropped_.Increment(static_cast<double>(batch.size()));
      spdlog::warn("tracing: {} span(s) dropped, {} answered {}", batch.size(), config_.endpoint, why);
      return;
    }
    if (!sleep_for(stop, std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(wait)))) {
      put_back();
      return;
    }
    backoff = std::min(backoff * 2, 8.0);
  }
}

}  // namespace doorbell
