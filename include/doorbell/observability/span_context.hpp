#pragma once
// SpanContext: W3C trace context — a 128-bit trace id, a 64-bit span id and the sampled flag — with
// traceparent parsing and formatting, and the calling thread's current context (used as the default
// parent and written into log lines). Value type; the current context is thread-local.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace doorbell {

struct SpanContext {
  std::array<std::uint8_t, 16> trace_id{};
  std::array<std::uint8_t, 8> span_id{};
  bool sampled = false;

  bool valid() const noexcept;  // neither id is all zeros
  std::string trace_id_hex() const;
  std::string span_id_hex() const;
};

// "00-<32 hex>-<16 hex>-<2 hex flags>"; empty for anything else, all-zero ids or version ff.
std::optional<SpanContext> parse_traceparent(std::string_view header);
std::string format_traceparent(const SpanContext& context);
// From the hex ids stored with an event; empty when they are not valid ids.
std::optional<SpanContext> context_from_hex(std::string_view trace_id, std::string_view span_id,
                                            bool sampled);

// The span the calling thread is working in, if any.
const std::optional<SpanContext>& current_span_context() noexcept;

// Makes `context` the thread's current one until destroyed (then the previous one is current again).
class ScopedSpanContext {
 public:
  explicit ScopedSpanContext(std::optional<SpanContext> context);
  ~ScopedSpanContext();
  ScopedSpanContext(const ScopedSpanContext&) = delete;
  ScopedSpanContext& operator=(const ScopedSpanContext&) = delete;

 private:
  std::optional<SpanContext> previous_;
};

}  // namespace doorbell
