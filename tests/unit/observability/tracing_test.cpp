#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "doorbell/observability/otlp_exporter.hpp"
#include "doorbell/observability/span_context.hpp"
#include "doorbell/observability/tracer.hpp"

namespace doorbell {
namespace {

// Keeps every ended span. Not thread-safe: the tests end spans on one thread.
class Collect final : public SpanSink {
 public:
  void on_end(SpanData&& span) override { spans.push_back(std::move(span)); }
  std::vector<SpanData> spans;
};

TEST(TraceContext, ParsesAndFormatsW3cTraceparent) {
  const std::string header = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  const auto c = parse_traceparent(header);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->trace_id_hex(), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(c->span_id_hex(), "b7ad6b7169203331");
  EXPECT_TRUE(c->sampled);
  EXPECT_EQ(format_traceparent(*c), header);
  EXPECT_FALSE(parse_traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00")->sampled);
  EXPECT_TRUE(parse_traceparent("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-later-fields"))
      << "a later version may append fields";
  for (const char* bad : {"", "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",  // uppercase
                          "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",      // version ff
                          "00-00000000000000000000000000000000-b7ad6b7169203331-01",      // zero trace id
                          "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",      // zero span id
                          "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-x",    // v00 has no more
                          "00-0af7651916cd43dd8448eb211c80319-cb7ad6b7169203331-01"}) {
    EXPECT_FALSE(parse_traceparent(bad)) << bad;
  }
}

TEST(Tracer, ChildrenShareTheTraceAndNameTheirParent) {
  Collect sink;
  const Tracer tracer({}, &sink);
  {
    auto root = tracer.start_root("doorbell.ring");
    ScopedSpanContext in_root(root.context());
    auto child = tracer.start("face.match");  // the thread's current context is the parent
    child.set("doorbell.visitors", std::int64_t{2}).add_event("matched");
    EXPECT_EQ(current_span_context()->span_id, root.context().span_id);
  }
  EXPECT_FALSE(current_span_context()) << "the scope restores the previous context";
  ASSERT_EQ(sink.spans.size(), 2u);
  const auto& child = sink.spans[0];
  const auto& root = sink.spans[1];
  EXPECT_EQ(child.context.trace_id, root.context.trace_id);
  EXPECT_EQ(child.parent_span_id, root.context.span_id);
  EXPECT_FALSE(root.parent_span_id);
  EXPECT_NE(child.context.span_id, root.context.span_id);
  EXPECT_LE(root.start_unix_ns, child.start_unix_ns);
  EXPECT_GE(root.end_unix_ns, child.end_unix_ns);
}

TEST(Tracer, SamplersDecideRootsAndParentsDecideChildren) {
  Collect sink;
  const Tracer off({"always_off", 1.0}, &sink);
  const auto unsampled = off.start_root("x");
  EXPECT_TRUE(unsampled.context().valid()) << "contexts still propagate";
  EXPECT_FALSE(unsampled.recording());
  auto sampled_parent = parse_traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  EXPECT_TRUE(off.start("y", SpanKind::server, sampled_parent).recording()) << "a sampled parent wins";

  const Tracer half({"ratio", 0.5}, &sink);
  int kept = 0;
  for (int i = 0; i < 2000; ++i) kept += half.start_root("z").recording() ? 1 : 0;
  EXPECT_GT(kept, 850);
  EXPECT_LT(kept, 1150);
  const Tracer none({"ratio", 0.0}, &sink);
  EXPECT_FALSE(none.start_root("z").recording());
}

TEST(OtlpJson, FollowsTheOtlpJsonEncoding) {
  Collect sink;
  const Tracer tracer({}, &sink);
  {
    auto root = tracer.start_root("POST /api/ring", SpanKind::server);
    root.set("http.response.status_code", std::int64_t{202}).set("ok", true).set("ratio", 0.5);
    auto child = tracer.start("event.store", SpanKind::internal, root.context());
    child.set_error("disk full");
  }
  const auto j = otlp_json({{"service.name", "doorbelld"}}, sink.spans);
  const auto& resource = j["resourceSpans"][0]["resource"]["attributes"][0];
  EXPECT_EQ(resource["key"], "service.name");
  EXPECT_EQ(resource["value"]["stringValue"], "doorbelld");
  const auto& spans = j["resourceSpans"][0]["scopeSpans"][0]["spans"];
  ASSERT_EQ(spans.size(), 2u);
  const auto& child = spans[0];
  const auto& root = spans[1];
  EXPECT_EQ(root["kind"], 2) << "enums are integers";
  EXPECT_TRUE(root["startTimeUnixNano"].is_string()) << "64-bit integers are strings";
  EXPECT_EQ(root["traceId"].get<std::string>().size(), 32u) << "ids are hex";
  EXPECT_FALSE(root.contains("parentSpanId"));
  EXPECT_FALSE(root.contains("status")) << "unset status is left out";
  EXPECT_EQ(root["attributes"][0]["value"]["intValue"], "202");
  EXPECT_EQ(root["attributes"][1]["value"]["boolValue"], true);
  EXPECT_EQ(root["attributes"][2]["value"]["doubleValue"], 0.5);
  EXPECT_EQ(child["parentSpanId"], root["spanId"]);
  EXPECT_EQ(child["status"]["code"], 2);
  EXPECT_EQ(child["status"]["message"], "disk full");
}

TEST(ResourceAttributes, StandardOnesThenTheConfiguredExtras) {
  TracingConfig config;
  config.resource_attributes = "deployment.environment=home,bad,site=front door";
  const auto attributes = resource_attributes(config);
  ASSERT_EQ(attributes.size(), 6u);
  EXPECT_EQ(attributes[0], (std::pair<std::string, std::string>{"service.name", "doorbelld"}));
  EXPECT_EQ(attributes[2].first, "service.instance.id");
  EXPECT_EQ(attributes[3].first, "host.name");
  EXPECT_EQ(attributes[4], (std::pair<std::string, std::string>{"deployment.environment", "home"}));
  EXPECT_EQ(attributes[5], (std::pair<std::string, std::string>{"site", "front door"}));
}

}  // namespace
}  // namespace doorbell
