// Storage that fails under the real daemon: what is kept, what /api/ready and /metrics say, and that
// nothing points at a file that does not exist. Under ThreadSanitizer too: the spool and the dispatchers
// hand events between threads.
#include "support/storage_faults.hpp"

#include "support/http_receivers.hpp"
#include "support/small_disk.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

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

// A full disk: every accepted ring is notified at once, readiness says why, and once space returns every
// ring is stored exactly once, with its snapshot, and its notification is not sent twice.
TEST_F(StorageFaultsTest, AFullDiskLosesNoAcceptedRing) {
  SmallDisk disk(dir.path() / "disk", 24);
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (it needs CAP_SYS_ADMIN): " << disk.error();
  const int port = free_port();
  Receivers receivers(port);
  RunningDaemon daemon(
      config({{"storage", {{"data_dir", (disk.path() / "data").string()}, {"min_free_megabytes", 4}}},
              {"webhook", {{"url", "http://127.0.0.1:" + std::to_string(port) + "/hook"}, {"secret", "s"}}},
              {"notify", {{"cooldown_seconds", 0}}}}));
  ASSERT_TRUE(daemon.wait_for_status("/api/ready", 200)) << daemon.process().output();
  const auto ring = [&] { EXPECT_EQ(daemon.client().Post("/api/ring", "", "text/plain")->status, 202); };

  disk.fill();
  ASSERT_TRUE(daemon.wait_for_status("/api/ready", 503, std::chrono::seconds(10)));
  const auto ready = json::parse(daemon.client().Get("/api/ready")->body);
  EXPECT_THAT(ready["components"]["storage"]["detail"].get<std::string>(), HasSubstr("MB free"));
  for (std::size_t n = 1; n <= 2; ++n) {
    ring();
    const auto during = receivers.wait_for("/hook", n);
    ASSERT_EQ(during.size(), n) << daemon.process().output();
    EXPECT_TRUE(json::parse(during.back().body)["event_id"].is_null())
        << "notified, not stored: " << during.back().body;
  }
  EXPECT_THAT(daemon.wait_for_metrics("doorbell_spooled_events 2"), HasSubstr("doorbell_spooled_events 2"));
  EXPECT_EQ(event_count(daemon), 0u);

  disk.free_space();
  EXPECT_TRUE(daemon.wait_for_status("/api/ready", 200, std::chrono::seconds(20)))
      << daemon.process().output();
  EXPECT_TRUE(eventually([&] { return event_count(daemon) == 2; }, std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::seconds(2));  // time enough for a duplicate to show
  EXPECT_EQ(event_count(daemon), 2u) << "each ring stored once";
  const auto sent = receivers.wait_for("/hook", 3, std::chrono::milliseconds(1));
  ASSERT_EQ(sent.size(), 2u) << "each ring notified once";
  EXPECT_NE(sent[0].headers.find("Idempotency-Key")->second, sent[1].headers.find("Idempotency-Key")->second);
  const auto events = json::parse(daemon.client().Get("/api/events")->body)["events"];
  for (const auto& e : events) {
    const auto deliveries = json::parse(
        daemon.client().Get("/api/events/" + std::to_string(e["id"].get<int>()))->body)["deliveries"];
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(deliveries[0]["state"], "delivered") << e.dump();
  }
  EXPECT_TRUE(events[0]["snapshot"].is_string()) << "the held snapshot was written once the disk took it";
  EXPECT_THAT(daemon.wait_for_metrics("doorbell_spooled_events 0"), HasSubstr("doorbell_spooled_events 0"));
}

}  // namespace
}  // namespace doorbell::testing
