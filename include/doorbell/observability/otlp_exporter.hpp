#pragma once
// OtlpExporter: the batch span processor and OTLP/HTTP exporter. Ended spans wait in a bounded queue
// (full: the span is dropped and counted — the pipeline never waits); a thread sends them as OTLP JSON
// (optionally gzip) in batches of tracing.batch_size or every tracing.flush_interval_seconds, retrying
// 429/502/503/504 and unanswered requests with backoff (honouring Retry-After) until the next batch is
// due; stop() sends what is left within the time it is given. on_end() is thread-safe; start()/stop()
// from one thread.

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "doorbell/common/bounded_queue.hpp"
#include "doorbell/common/health.hpp"
#include "doorbell/common/url.hpp"
#include "doorbell/common/worker.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/observability/tracer.hpp"

namespace doorbell {

using ResourceAttributes = std::vector<std::pair<std::string, std::string>>;

// service.name=doorbelld, service.version, service.instance.id (random per start), host.name, then the
// `key=value,...` extras of tracing.resource_attributes.
ResourceAttributes resource_attributes(const TracingConfig& config);

// One ExportTraceServiceRequest in the OTLP JSON encoding (hex ids, integer enums, int64 as strings).
nlohmann::json otlp_json(const ResourceAttributes& resource, const std::vector<SpanData>& spans);
// The same as the request's body (strings that are not UTF-8 written with U+FFFD).
std::string otlp_json_text(const ResourceAttributes& resource, const std::vector<SpanData>& spans);

class OtlpExporter final : public SpanSink {
 public:
  OtlpExporter(const TracingConfig& config, prometheus::Registry& registry, Component& component);
  ~OtlpExporter() override;

  void on_end(SpanData&& span) override;
  void start();
  void stop(std::chrono::milliseconds deadline);

 private:
  void run(std::stop_token stop, Component& self);
  // Sends up to batch_size spans of `batch`, retrying until `give_up_at`; `final` (shutdown) also caps
  // each request's timeout by `give_up_at`. A stop request puts the spans back into `batch`.
  void export_batch(std::vector<SpanData>& batch, std::chrono::steady_clock::time_point give_up_at,
                    bool final, std::stop_token stop);

  const TracingConfig config_;
  const Url endpoint_;
  const ResourceAttributes resource_;
  BoundedQueue<SpanData> queue_;
  prometheus::Counter& started_;  // counted at on_end for sampled spans
  prometheus::Counter& exported_;
  prometheus::Counter& dropped_;
  prometheus::Counter& failures_;
  prometheus::Histogram& export_seconds_;
  Component& component_;
  std::chrono::steady_clock::time_point stop_deadline_{};  // set before the worker is asked to stop
  std::unique_ptr<Worker> worker_;                         // last
};

}  // namespace doorbell
