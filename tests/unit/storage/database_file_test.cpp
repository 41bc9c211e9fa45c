#include "doorbell/storage/database_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <random>
#include <thread>

#include "doorbell/model/time_text.hpp"
#include "doorbell/storage/data_dir_lock.hpp"
#include "doorbell/storage/event_store.hpp"
#include "doorbell/storage/schema.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::storage {
namespace {

using ::testing::HasSubstr;

// Adds `n` events (a few pages of rows) to the database in `data_dir`.
void add_events(const std::filesystem::path& data_dir, int n) {
  EventStore store(data_dir);
  for (int i = 0; i < n; ++i) {
    model::Event e;
    e.time = model::iso_time(std::chrono::system_clock::now());
    e.source = "http";
    e.kind = model::EventKind::unknown;
    e.names = {std::string(200, 'x')};
    store.insert(e);
  }
}

std::size_t count_events(const std::filesystem::path& data_dir) {
  EventQuery all;
  all.limit = 1'000'000;
  return EventStore(data_dir).list(all).size();
}

// Overwrites 8 KiB in the middle of `file` with random bytes, as a failing SD card might.
void damage(const std::filesystem::path& file) {
  const auto size = std::filesystem::file_size(file);
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(size / 2 / 4096 * 4096));
  std::mt19937 random(7);
  for (int i = 0; i < 8192; ++i) f.put(static_cast<char>(random()));
}

void checkpoint(const std::filesystem::path& data_dir) {  // everything into the main file
  Database(database_file(data_dir), schema_migrations()).exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

TEST(DatabaseFile, ASoundDatabasePassesItsChecksAndDamageInTheMiddleIsFound) {
  testing::TempDir dir;
  add_events(dir.path(), 300);
  checkpoint(dir.path());
  EXPECT_THAT(integrity_problems(database_file(dir.path()), false), ::testing::IsEmpty());
  EXPECT_NO_THROW(check_database_at_start(dir.path()));

  damage(database_file(dir.path()));
  EXPECT_THAT(integrity_problems(database_file(dir.path()), false), ::testing::Not(::testing::IsEmpty()));
  try {
    check_database_at_start(dir.path());
    FAIL() << "a damaged database was let through";
  } catch (const DatabaseError& e) {
    EXPECT_THAT(e.what(), HasSubstr(database_file(dir.path()).string()));
    EXPECT_THAT(e.what(), HasSubstr("is damaged"));
    EXPECT_THAT(e.what(), HasSubstr("doorbelld restore FILE"));
  }
}

TEST(DatabaseFile, AnEmptyOrMissingDatabaseWithFaceImagesLeftIsRefusedAFreshOneIsNot) {
  testing::TempDir dir;
  EXPECT_NO_THROW(check_database_at_start(dir.path())) << "a new installation";
  std::filesystem::create_directories(dir.path() / "faces" / "3");
  dir.write("faces/3/17.jpg", "a face");
  EXPECT_THROW(
      {
        try {
          check_database_at_start(dir.path());
        } catch (const DatabaseError& e) {
          EXPECT_THAT(e.what(), HasSubstr("is missing but"));
          EXPECT_THAT(e.what(), HasSubstr("holds 1 face image(s)"));
          throw;
        }
      },
      DatabaseError);
  dir.write("doorbelld.db", "");
  EXPECT_THROW(check_database_at_start(dir.path()), DatabaseError) << "a zero-length database";
}

TEST(DatabaseFile, ABackupTakenWhileEventsAreWrittenIsSoundAndRestoresInPlace) {
  testing::TempDir dir;
  const auto data = dir.path() / "data";
  add_events(data, 50);
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    while (writing) add_events(data, 1);
  });
  const auto backup = dir.path() / "backup.db";
  backup_database(database_file(data), backup);
  writing = false;
  writer.join();
  EXPECT_THAT(integrity_problems(backup, false), ::testing::IsEmpty());
  testing::TempDir opened;  // what the backup holds, read as a data directory of its own
  std::filesystem::copy_file(backup, database_file(opened.path()));
  const auto at_backup = count_events(opened.path());
  EXPECT_GE(at_backup, 50u);

  add_events(data, 5);  // written after the backup: gone once it is restored
  const auto kept = restore_database(backup, database_file(data));
  EXPECT_EQ(count_events(data), at_backup);
  EXPECT_THAT(kept.filename().string(), HasSubstr("doorbelld.db.before-restore-"));
  EXPECT_GE(std::filesystem::file_size(kept), 4096u) << "the replaced database is kept";
}

TEST(DatabaseFile, RestoreRefusesWhatIsNotASoundDoorbellDatabase) {
  testing::TempDir dir;
  add_events(dir.path(), 1);
  const auto junk = dir.write("junk.db", std::string(8192, 'j'));
  EXPECT_THROW(restore_database(junk, database_file(dir.path())), DatabaseError);
  const auto other = dir.path() / "other.db";
  Database(other, {}).exec("CREATE TABLE t (x); PRAGMA user_version = 99");
  try {
    restore_database(other, database_file(dir.path()));
    FAIL() << "restored a newer schema";
  } catch (const DatabaseError& e) {
    EXPECT_THAT(e.what(), HasSubstr("schema version 99"));
  }
  EXPECT_EQ(count_events(dir.path()), 1u) << "the database is untouched";
}

TEST(DataDirLock, ASecondOwnerIsRefusedNamingThePidUntilTheFirstLetsGo) {
  testing::TempDir dir;
  auto first = std::make_unique<DataDirLock>(dir.path());
  try {
    DataDirLock second(dir.path());
    FAIL() << "two owners";
  } catch (const DatabaseError& e) {
    EXPECT_THAT(e.what(), HasSubstr("pid " + std::to_string(::getpid())));
    EXPECT_THAT(e.what(), HasSubstr("stop it first"));
  }
  first.reset();
  EXPECT_NO_THROW(DataDirLock again(dir.path()));
}

}  // namespace
}  // namespace doorbell::storage
