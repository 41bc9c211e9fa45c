#include "doorbell/observability/tracer.hpp"

#include <chrono>
#include <cmath>

#include "doorbell/common/hex.hpp"

namespace doorbell {

std::uint64_t unix_now_ns() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    end();
    context_ = other.context_;
    sink_ = other.sink_;
    data_ = std::move(other.data_);
  }
  return *this;
}

Span& Span::set(std::string key, AttributeValue value) {
  if (data_) data_->attributes.emplace_back(std::move(key), std::move(value));
  return *this;
}

Span& Span::add_event(std::string name, Attributes attributes) {
  if (data_) data_->events.push_back({std::move(name), unix_now_ns(), std::move(attributes)});
  return *this;
}

Span& Span::set_error(std::string message) {
  if (data_) {
    data_->status = SpanStatus::error;
    data_->status_message = std::move(message);
  }
  return *this;
}

void Span::end() {
  if (!data_) return;
  data_->end_unix_ns = unix_now_ns();
  auto data = std::move(data_);
  if (sink_ != nullptr) sink_->on_end(std::move(*data));
}

Tracer::Tracer(SamplerConfig sampler, SpanSink* sink) : sampler_(std::move(sampler)), sink_(sink) {}

Span Tracer::start(std::string name, SpanKind kind, std::optional<SpanContext> parent) const {
  if (!parent) parent = current_span_context();
  return make(std::move(name), kind, parent);
}

Span Tracer::start_root(std::string name, SpanKind kind) const {
  return make(std::move(name), kind, std::nullopt);
}

Span Tracer::make(std::string name, SpanKind kind, const std::optional<SpanContext>& parent) const {
  Span span;
  const bool has_parent = parent && parent->valid();
  if (has_parent) {
    span.context_.trace_id = parent->trace_id;
  } else {
    fill_random(span.context_.trace_id);
  }
  fill_random(span.context_.span_id);
  span.context_.sampled = has_parent ? parent->sampled : sample(span.context_.trace_id);
  if (!span.context_.sampled || sink_ == nullptr) return span;
  span.sink_ = sink_;
  span.data_ = std::make_unique<SpanData>();
  span.data_->context = span.context_;
  if (has_parent) span.data_->parent_span_id = parent->span_id;
  span.data_->name = std::move(name);
  span.data_->kind = kind;
  span.data_->start_unix_ns = unix_now_ns();
  sink_->on_start();
  return span;
}

bool Tracer::sample(const std::array<std::uint8_t, 16>& trace_id) const {
  if (sampler_.sampler == "always_off") return false;
  if (sampler_.sampler != "ratio" || sampler_.ratio >= 1.0) return true;
  // The trace id's last 8 bytes as a fraction of 2^64: the same decision for the same trace anywhere.
  std::uint64_t low = 0;
  for (std::size_t i = 8; i < 16; ++i) low = low << 8 | trace_id[i];
  return static_cast<double>(low) < sampler_.ratio * 18446744073709551616.0;
}

}  // namespace doorbell
