#include "doorbell/api/routes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/fake_clock.hpp"

namespace doorbell::api {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::HasSubstr;

class RoutesTest : public ::testing::Test {
 protected:
  testing::FakeClock clock;
  HealthRegistry registry{clock};
};

TEST_F(RoutesTest, HealthIsOkWhileNoComponentFailed) {
  registry.add("camera", 5s).set_ready();
  const auto res = health(registry, 90s);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "application/json");
  const auto body = json::parse(res.body);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_DOUBLE_EQ(body["uptime_seconds"].get<double>(), 90.0);
  EXPECT_EQ(body["components"]["camera"]["state"], "ready");
}

TEST_F(RoutesTest, HealthIs503WhenAComponentFailed) {
  registry.add("camera", 5s).set_failed("thread died");
  const auto res = health(registry, 1s);
  EXPECT_EQ(res.status, 503);
  const auto body = json::parse(res.body);
  EXPECT_EQ(body["status"], "unhealthy");
  EXPECT_EQ(body["components"]["camera"]["detail"], "thread died");
  EXPECT_EQ(body["components"]["camera"]["failures"], 1);
}

TEST_F(RoutesTest, ReadyNamesEachComponentAndItsState) {
  registry.add("http").set_ready();
  auto& camera = registry.add("camera", 5s);
  camera.set_not_ready("no frames");
  auto res = ready(registry);
  EXPECT_EQ(res.status, 503);
  auto body = json::parse(res.body);
  EXPECT_EQ(body["status"], "not_ready");
  EXPECT_EQ(body["components"]["http"]["state"], "ready");
  EXPECT_EQ(body["components"]["camera"]["state"], "not_ready");
  EXPECT_EQ(body["components"]["camera"]["detail"], "no frames");

  camera.set_ready();
  res = ready(registry);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(json::parse(res.body)["status"], "ready");

  clock.advance(6s);
  res = ready(registry);
  EXPECT_EQ(res.status, 503);
  body = json::parse(res.body);
  EXPECT_EQ(body["components"]["camera"]["fresh"], false);
  EXPECT_DOUBLE_EQ(body["components"]["camera"]["heartbeat_age_seconds"].get<double>(), 6.0);
}

TEST_F(RoutesTest, MetricsRendersTheRegistryInTextFormat) {
  Metrics metrics;
  register_build_info(metrics.registry());
  const auto res = api::metrics(metrics);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_THAT(res.body, HasSubstr("# TYPE doorbell_build_info gauge"));
  EXPECT_THAT(res.body, HasSubstr("doorbell_build_info{"));
}

TEST(JsonError, HasStatusAndMessage) {
  const auto res = json_error(418, "short and stout");
  EXPECT_EQ(res.status, 418);
  EXPECT_EQ(json::parse(res.body), (json{{"error", {{"status", 418}, {"message", "short and stout"}}}}));
}

}  // namespace
}  // namespace doorbell::api
