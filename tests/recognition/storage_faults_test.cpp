// Storage that fails under the real daemon: what is kept, what /api/ready and /metrics say, and that
// nothing points at a file that does not exist.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/doorstep.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class StorageFaultsTest : public ::testing::Test {
 protected:
  json config(const json& extra = json::object()) {
    auto c = doorstep_config(dir.path() / "camera");
    c.merge_patch({{"storage", {{"check_interval_seconds", 0.2}}}});
    c.merge_patch(extra);
    return c;
  }

  TempDir dir;
};

TEST_F(StorageFaultsTest, AnUnwritableEventsFolderKeepsTheEventWithoutAPhantomSnapshot) {
  RunningDaemon daemon(config());
  ASSERT_TRUE(daemon.wait_for_status("/api/ready", 200)) << daemon.process().output();
  const auto events_dir = daemon.data_dir() / "events";
  std::filesystem::remove_all(events_dir);
  std::ofstream(events_dir) << "a file where the events folder should be";  // unwritable even for root
  ASSERT_TRUE(daemon.wait_for_status("/api/ready", 503));
  const auto ready = json::parse(daemon.client().Get("/api/ready")->body);
  EXPECT_THAT(ready["components"]["storage"]["detail"].get<std::string>(), HasSubstr("is not a folder"));

  const auto event = ring_and_wait(daemon, "t");
  EXPECT_EQ(event["kind"], "unknown") << "recognised and recorded all the same";
  EXPECT_TRUE(event["snapshot"].is_null()) << event.dump();
  EXPECT_TRUE(daemon.wait_for_output("snapshot not kept"));
  EXPECT_THAT(daemon.wait_for_metrics("doorbell_storage_write_failures_total{item=\"snapshot\"} 1"),
              HasSubstr("doorbell_storage_write_failures_total{item=\"snapshot\"} 1"));

  std::filesystem::remove(events_dir);  // repaired: ready again without a restart
  EXPECT_TRUE(daemon.wait_for_status("/api/ready", 200, std::chrono::seconds(10)));
  const auto next = ring_and_wait(daemon, "t");
  ASSERT_TRUE(next["snapshot"].is_string()) << next.dump();
  EXPECT_EQ(daemon.client().Get(next["snapshot"].get<std::string>())->status, 200);
}

}  // namespace
}  // namespace doorbell::testing
