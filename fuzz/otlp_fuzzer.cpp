// The OTLP JSON encoder on spans with arbitrary names, attributes (invalid UTF-8 included), events and
// status: always valid JSON, ids as hex, never an exception.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "doorbell/observability/otlp_exporter.hpp"

namespace {

doorbell::Attributes attributes(FuzzedDataProvider& in) {
  doorbell::Attributes out;
  const int n = in.ConsumeIntegralInRange(0, 6);
  for (int i = 0; i < n; ++i) {
    auto key = in.ConsumeRandomLengthString(32);
    switch (in.ConsumeIntegralInRange(0, 3)) {
      case 0:
        out.emplace_back(std::move(key), in.ConsumeRandomLengthString(64));
        break;
      case 1:
        out.emplace_back(std::move(key), in.ConsumeIntegral<std::int64_t>());
        break;
      case 2:
        out.emplace_back(std::move(key), in.ConsumeFloatingPoint<double>());
        break;
      default:
        out.emplace_back(std::move(key), in.ConsumeBool());
        break;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  doorbell::ResourceAttributes resource{{"service.name", "doorbelld"},
                                        {in.ConsumeRandomLengthString(16), "x"}};
  std::vector<doorbell::SpanData> spans;
  const int n = in.ConsumeIntegralInRange(0, 4);
  for (int i = 0; i < n; ++i) {
    doorbell::SpanData s;
    for (auto& b : s.context.trace_id) b = in.ConsumeIntegral<std::uint8_t>();
    for (auto& b : s.context.span_id) b = in.ConsumeIntegral<std::uint8_t>();
    if (in.ConsumeBool()) s.parent_span_id = std::array<std::uint8_t, 8>{in.ConsumeIntegral<std::uint8_t>()};
    s.name = in.ConsumeRandomLengthString(64);
    s.kind = static_cast<doorbell::SpanKind>(in.ConsumeIntegralInRange(1, 5));
    s.start_unix_ns = in.ConsumeIntegral<std::uint64_t>();
    s.end_unix_ns = in.ConsumeIntegral<std::uint64_t>();
    s.attributes = attributes(in);
    if (in.ConsumeBool())
      s.events.push_back(
          {in.ConsumeRandomLengthString(32), in.ConsumeIntegral<std::uint64_t>(), attributes(in)});
    s.status = static_cast<doorbell::SpanStatus>(in.ConsumeIntegralInRange(0, 2));
    s.status_message = in.ConsumeRandomLengthString(64);
    spans.push_back(std::move(s));
  }
  const auto text = doorbell::otlp_json_text(resource, spans);
  const auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded()) __builtin_trap();
  for (const auto& span : parsed["resourceSpans"][0]["scopeSpans"][0]["spans"]) {
    if (span["traceId"].get<std::string>().size() != 32 || span["spanId"].get<std::string>().size() != 16)
      __builtin_trap();
  }
  return 0;
}
