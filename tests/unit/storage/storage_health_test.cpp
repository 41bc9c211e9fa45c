#include "doorbell/storage/storage_health.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include "doorbell/storage/database.hpp"
#include "doorbell/storage/schema.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::storage {
namespace {

using ::testing::HasSubstr;

class StorageHealthTest : public ::testing::Test {
 protected:
  StorageHealthTest() {
    config.data_dir = dir.path().string();
    config.min_free_megabytes = 0;
  }

  std::string metrics() const { return prometheus::TextSerializer().Serialize(registry.Collect()); }

  testing::TempDir dir;
  StorageConfig config;
  SteadyClock clock;
  HealthRegistry health{clock};
  Component& component = health.add("storage");
  prometheus::Registry registry;
  StorageHealth storage{config, component, registry};
};

TEST_F(StorageHealthTest, ReadyWithRoomAndWritableFoldersAndExportsTheFreeSpace) {
  storage.check_now();
  EXPECT_EQ(component.snapshot().state, ComponentState::ready);
  EXPECT_EQ(storage.problem(), std::nullopt);
  EXPECT_THAT(metrics(), ::testing::ContainsRegex("doorbell_storage_free_bytes [1-9]"));
}

TEST_F(StorageHealthTest, TooLittleFreeSpaceIsNotReadyNamingTheSetting) {
  config.min_free_megabytes = 1e9;  // a petabyte
  storage.check_now();
  EXPECT_EQ(component.snapshot().state, ComponentState::not_ready);
  EXPECT_THAT(component.snapshot().detail, HasSubstr("storage.min_free_megabytes"));
}

TEST_F(StorageHealthTest, AnEventsFolderThatIsNoFolderIsNotReadyUntilRepaired) {
  dir.write("events", "not a folder");
  storage.check_now();
  EXPECT_THAT(component.snapshot().detail, HasSubstr("events is not a folder"));
  std::filesystem::remove(dir.path() / "events");
  storage.check_now();
  EXPECT_EQ(component.snapshot().state, ComponentState::ready);
}

TEST_F(StorageHealthTest, AFailedWriteIsCountedAndNotReadyUntilTheDatabaseTakesAWriteAgain) {
  storage.failed(StoredItem::event, "database or disk is full");
  EXPECT_EQ(component.snapshot().state, ComponentState::not_ready);
  EXPECT_THAT(component.snapshot().detail, HasSubstr("cannot store event: database or disk is full"));
  EXPECT_THAT(metrics(), HasSubstr("doorbell_storage_write_failures_total{item=\"event\"} 1"));
  storage.check_now();  // the probe writes a row: the database works again
  EXPECT_EQ(component.snapshot().state, ComponentState::ready);
  Database db(dir.path() / "doorbelld.db", schema_migrations());
  auto probe = db.prepare("SELECT count(*) FROM storage_probe");
  probe.step();
  EXPECT_EQ(probe.integer(0), 1);
}

TEST_F(StorageHealthTest, AFailedSnapshotIsNotReadyUntilTheEventsFolderTakesAFileAgain) {
  dir.write("events", "not a folder");
  storage.failed(StoredItem::snapshot, "Not a directory");
  std::filesystem::remove(dir.path() / "events");
  storage.check_now();
  EXPECT_EQ(component.snapshot().state, ComponentState::ready);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "events")) << "the probe file is removed";
}

}  // namespace
}  // namespace doorbell::storage
