// The real daemon's claim on its data directory: one daemon at a time, what a crash left swept, and the
// scheduled backups.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "support/daemon.hpp"

namespace doorbell::testing {
namespace {

using ::testing::HasSubstr;

TEST(DataDir, FaceImagesLeftByACrashAreSweptAtStartAndASecondDaemonIsRefused) {
  TempDir dir;
  const auto data = dir.path() / "data";
  auto config = kWithoutRecognition;
  config["storage"] = {{"data_dir", data.string()}};
  {
    RunningDaemon earlier(config);  // the database of an earlier run
    ASSERT_TRUE(earlier.wait_for_status("/api/health", 200)) << earlier.process().output();
  }
  const auto orphan = data / "faces" / "5" / "17.jpg";  // as kill -9 in the middle of an enrollment
  std::filesystem::create_directories(orphan.parent_path());
  std::ofstream(orphan) << "a face crop";
  std::filesystem::last_write_time(orphan,
                                   std::filesystem::file_time_type::clock::now() - std::chrono::minutes(1));

  RunningDaemon first(config);
  ASSERT_TRUE(first.wait_for_status("/api/health", 200)) << first.process().output();
  EXPECT_FALSE(std::filesystem::exists(orphan));
  EXPECT_THAT(first.process().output(), HasSubstr("1 file(s) without a row removed"));

  RunningDaemon second(config);
  EXPECT_EQ(second.process().wait_exit(std::chrono::seconds(20)), 1);
  EXPECT_THAT(second.process().output(),
              HasSubstr("doorbelld (pid " + std::to_string(first.process().pid()) + ") is running on"));
  EXPECT_EQ(first.client().Get("/api/health")->status, 200) << "the first is untouched";
}

TEST(DataDir, TheDatabaseIsBackedUpAtStartAndNotAgainAtARestartWithinTheInterval) {
  TempDir dir;
  auto config = kWithoutRecognition;
  config["storage"] = {{"data_dir", (dir.path() / "data").string()},
                       {"backup_dir", (dir.path() / "backups").string()},
                       {"prune_interval_seconds", 1}};  // the schedule is looked at every second
  {
    RunningDaemon daemon(config);
    ASSERT_TRUE(daemon.wait_for_output("backup: the database copied to")) << daemon.process().output();
    EXPECT_THAT(daemon.wait_for_metrics("doorbell_backups_total{result=\"ok\"} 1"),
                HasSubstr("doorbell_backups_total{result=\"ok\"} 1"));
  }
  RunningDaemon restarted(config);
  ASSERT_TRUE(restarted.wait_for_status("/api/health", 200)) << restarted.process().output();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // passes enough to take one if it would
  EXPECT_THAT(restarted.client().Get("/metrics")->body, HasSubstr("doorbell_backups_total{result=\"ok\"} 0"));
  std::vector<std::filesystem::path> copies(std::filesystem::directory_iterator(dir.path() / "backups"), {});
  ASSERT_EQ(copies.size(), 1u) << "one file, without a write-ahead log beside it";
  EXPECT_THAT(copies[0].filename().string(),
              ::testing::MatchesRegex("doorbelld-000001-[0-9]{8}T[0-9]{6}Z\\.db"));
}

}  // namespace
}  // namespace doorbell::testing
