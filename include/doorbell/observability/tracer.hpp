#pragma once
// Tracer: starts spans — 128-bit trace ids and 64-bit span ids from the OS random generator, an
// explicit parent (or the thread's current context), and a parent-based sampler over always_on,
// always_off or a trace-id ratio. Span: one operation, recorded when sampled and handed to the
// SpanSink (the OTLP exporter) when it ends. Tracer is thread-safe; a Span is used by one thread at a
// time and may move between threads (a ring's span travels with it).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "doorbell/observability/span_context.hpp"

namespace doorbell {

enum class SpanKind { internal = 1, server = 2, client = 3, producer = 4, consumer = 5 };
enum class SpanStatus { unset = 0, ok = 1, error = 2 };

using AttributeValue = std::variant<std::string, std::int64_t, double, bool>;
using Attributes = std::vector<std::pair<std::string, AttributeValue>>;

struct SpanEvent {
  std::string name;
  std::uint64_t time_unix_ns = 0;
  Attributes attributes;
};

struct SpanData {
  SpanContext context;
  std::optional<std::array<std::uint8_t, 8>> parent_span_id;
  std::string name;
  SpanKind kind = SpanKind::internal;
  std::uint64_t start_unix_ns = 0;
  std::uint64_t end_unix_ns = 0;
  Attributes attributes;
  std::vector<SpanEvent> events;
  SpanStatus status = SpanStatus::unset;
  std::string status_message;
};

// Where sampled spans go. Implementations are thread-safe and never block.
class SpanSink {
 public:
  virtual ~SpanSink() = default;
  virtual void on_start() {}
  virtual void on_end(SpanData&& span) = 0;
};

class Span {
 public:
  Span() = default;  // a no-op span with no context
  Span(Span&&) noexcept = default;
  Span& operator=(Span&&) noexcept;
  ~Span() { end(); }

  const SpanContext& context() const noexcept { return context_; }
  bool recording() const noexcept { return data_ != nullptr; }
  Span& set(std::string key, AttributeValue value);
  Span& add_event(std::string name, Attributes attributes = {});
  Span& set_error(std::string message);
  void end();  // idempotent

 private:
  friend class Tracer;
  SpanContext context_;
  SpanSink* sink_ = nullptr;
  std::unique_ptr<SpanData> data_;  // null when not sampled, or ended
};

struct SamplerConfig {
  std::string sampler = "always_on";  // always_on, always_off or ratio (each parent-based)
  double ratio = 1.0;
};

class Tracer {
 public:
  // `sink` may be null: spans are then never recorded, but contexts still propagate.
  Tracer(SamplerConfig sampler, SpanSink* sink);

  // `parent`: explicit; nullopt falls back to the thread's current context; a root span otherwise.
  Span start(std::string name, SpanKind kind = SpanKind::internal,
             std::optional<SpanContext> parent = std::nullopt) const;
  // A root span even when the thread has a current context.
  Span start_root(std::string name, SpanKind kind = SpanKind::internal) const;

 private:
  Span make(std::string name, SpanKind kind, const std::optional<SpanContext>& parent) const;
  bool sample(const std::array<std::uint8_t, 16>& trace_id) const;

  const SamplerConfig sampler_;
  SpanSink* const sink_;
};

std::uint64_t unix_now_ns();

}  // namespace doorbell
