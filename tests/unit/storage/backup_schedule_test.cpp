// Scheduled backups: taken when due on the monotonic clock, numbered, the newest kept, failures counted.
#include "doorbell/storage/backup_schedule.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <fstream>

#include "doorbell/storage/database_file.hpp"
#include "doorbell/storage/event_store.hpp"
#include "fakes/fake_clock.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::storage {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class BackupScheduleTest : public ::testing::Test {
 protected:
  BackupScheduleTest() {
    config.data_dir = (dir.path() / "data").string();
    config.backup_interval_hours = Hours(24);
    config.backup_keep = 2;
    model::Event event;
    event.time = "2026-12-01T10:00:00.000Z";
    event.source = "http";
    event.kind = model::EventKind::no_face;
    EventStore(config.data_dir).insert(event);
  }

  std::string metrics() const { return prometheus::TextSerializer().Serialize(registry.Collect()); }

  testing::TempDir dir;
  StorageConfig config;
  doorbell::testing::FakeClock clock;
  prometheus::Registry registry;
};

TEST_F(BackupScheduleTest, AtStartThenEveryIntervalKeepingTheNewest) {
  BackupSchedule backups(config, clock, registry);
  const auto first = backups.run_if_due();
  ASSERT_TRUE(first) << "none yet: one at start";
  EXPECT_EQ(first->parent_path(), dir.path() / "data" / "backups");
  EXPECT_THAT(first->filename().string(), ::testing::StartsWith("doorbelld-000001-"));
  EXPECT_TRUE(integrity_problems(*first, false).empty());
  EXPECT_FALSE(backups.run_if_due()) << "not before the interval";

  clock.advance(24h);
  const auto second = backups.run_if_due();
  ASSERT_TRUE(second);
  clock.advance(24h);
  const auto third = backups.run_if_due();
  ASSERT_TRUE(third);
  EXPECT_THAT(third->filename().string(), ::testing::StartsWith("doorbelld-000003-"));
  EXPECT_EQ(numbered_backups(backups.directory()), (std::vector{*second, *third})) << "the newest 2 kept";
  EXPECT_THAT(metrics(), HasSubstr("doorbell_backups_total{result=\"ok\"} 3"));
}

TEST_F(BackupScheduleTest, ARestartTakesNoneWhileTheNewestIsYoungerThanTheInterval) {
  ASSERT_TRUE(BackupSchedule(config, clock, registry).run_if_due());
  BackupSchedule restarted(config, clock, registry);
  EXPECT_FALSE(restarted.run_if_due());
  clock.advance(24h);
  EXPECT_TRUE(restarted.run_if_due()) << "due an interval after the copy on disk";

  const auto newest = numbered_backups(restarted.directory()).back();
  std::filesystem::last_write_time(newest, std::filesystem::file_time_type::clock::now() - 48h);
  EXPECT_TRUE(BackupSchedule(config, clock, registry).run_if_due()) << "older than the interval: at once";
}

TEST_F(BackupScheduleTest, AFailureIsCountedAndTriedAgainAtTheNextCall) {
  config.backup_dir = (dir.path() / "not-a-folder").string();
  std::ofstream(config.backup_dir) << "a file";
  BackupSchedule backups(config, clock, registry);
  EXPECT_FALSE(backups.run_if_due());
  EXPECT_THAT(metrics(), HasSubstr("doorbell_backups_total{result=\"failed\"} 1"));
  std::filesystem::remove(config.backup_dir);
  EXPECT_TRUE(backups.run_if_due());
}

TEST_F(BackupScheduleTest, OtherFilesAndCopiesLeftHalfWrittenAreNotBackups) {
  config.backup_interval_hours = Hours(0);
  const auto backups_dir = dir.path() / "data" / "backups";
  std::filesystem::create_directories(backups_dir);
  std::ofstream(backups_dir / "doorbelld-000007-x.db.partial") << "half";
  std::ofstream(backups_dir / "doorbelld-mine.db") << "the operator's";
  BackupSchedule off(config, clock, registry);
  EXPECT_FALSE(off.run_if_due()) << "0 turns them off";
  EXPECT_TRUE(numbered_backups(backups_dir).empty());

  config.backup_interval_hours = Hours(1);
  const auto taken = BackupSchedule(config, clock, registry).run_if_due();
  ASSERT_TRUE(taken);
  EXPECT_THAT(taken->filename().string(), ::testing::StartsWith("doorbelld-000001-"));
  EXPECT_FALSE(std::filesystem::exists(backups_dir / "doorbelld-000007-x.db.partial"));
  EXPECT_TRUE(std::filesystem::exists(backups_dir / "doorbelld-mine.db"));
}

}  // namespace
}  // namespace doorbell::storage
