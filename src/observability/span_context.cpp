#include "doorbell/observability/span_context.hpp"

#include <algorithm>

#include "doorbell/common/hex.hpp"

namespace doorbell {
namespace {

thread_local std::optional<SpanContext> tl_current;

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // W3C trace context is lowercase only
}

template <std::size_t N>
bool unhex(std::string_view text, std::array<std::uint8_t, N>& out) {
  if (text.size() != N * 2) return false;
  for (std::size_t i = 0; i < N; ++i) {
    const int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

template <std::size_t N>
bool all_zero(const std::array<std::uint8_t, N>& bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

}  // namespace

bool SpanContext::valid() const noexcept {
  return !all_zero(trace_id) && !all_zero(span_id);
}

std::string SpanContext::trace_id_hex() const {
  return to_hex(trace_id);
}

std::string SpanContext::span_id_hex() const {
  return to_hex(span_id);
}

std::optional<SpanContext> parse_traceparent(std::string_view h) {
  // version "-" trace-id "-" parent-id "-" flags; later versions may append fields after a dash.
  if (h.size() < 55 || h[2] != '-' || h[35] != '-' || h[52] != '-') return std::nullopt;
  std::array<std::uint8_t, 1> version{}, flags{};
  if (!unhex(h.substr(0, 2), version) || version[0] == 0xff) return std::nullopt;
  if (version[0] == 0 && h.size() != 55) return std::nullopt;
  if (h.size() > 55 && h[55] != '-') return std::nullopt;
  SpanContext c;
  if (!unhex(h.substr(3, 32), c.trace_id) || !unhex(h.substr(36, 16), c.span_id) ||
      !unhex(h.substr(53, 2), flags)) {
    return std::nullopt;
  }
  if (!c.valid()) return std::nullopt;
  c.sampled = (flags[0] & 1) != 0;
  return c;
}

std::string format_traceparent(const SpanContext& c) {
  return "00-" + c.trace_id_hex() + "-" + c.span_id_hex() + (c.sampled ? "-01" : "-00");
}

std::optional<SpanContext> context_from_hex(std::string_view trace_id, std::string_view span_id,
                                            bool sampled) {
  SpanContext c;
  if (!unhex(trace_id, c.trace_id) || !unhex(span_id, c.span_id) || !c.valid()) return std::nullopt;
  c.sampled = sampled;
  return c;
}

const std::optional<SpanContext>& current_span_context() noexcept {
  return tl_current;
}

ScopedSpanContext::ScopedSpanContext(std::optional<SpanContext> context) : previous_(tl_current) {
  tl_current = context;
}

ScopedSpanContext::~ScopedSpanContext() {
  tl_current = previous_;
}

}  // namespace doorbell
