#include "doorbell/storage/file_sweep.hpp"

#include <gtest/gtest.h>

#include "doorbell/model/time_text.hpp"
#include "doorbell/storage/event_store.hpp"
#include "doorbell/storage/gallery_store.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::storage {
namespace {

using namespace std::chrono_literals;

class FileSweepTest : public ::testing::Test {
 protected:
  // A file at `relative` under the data directory, last written `age` ago.
  std::filesystem::path file(const std::string& relative, std::chrono::seconds age = 2h) {
    const auto path = dir.path() / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << std::string(5000, 'j');
    std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now() - age);
    return path;
  }

  std::int64_t event_with(const std::filesystem::path& snapshot, std::int64_t bytes) {
    model::Event e;
    e.time = model::iso_time(std::chrono::system_clock::now());
    e.source = "http";
    e.kind = model::EventKind::no_face;
    e.snapshot_path = snapshot.string();
    e.snapshot_bytes = bytes;
    return events.insert(e);
  }

  testing::TempDir dir;
  EventStore events{dir.path()};
};

TEST_F(FileSweepTest, OldFilesNoRowNamesAreRemovedFreshOnesAndNamedOnesStay) {
  const auto named = file("events/2026-12-01/1.jpg");
  event_with(named, bytes_on_disk(named));
  const auto orphan_snapshot = file("events/2026-12-01/2.jpg");
  const auto orphan_crop = file("faces/7/31.jpg");
  const auto interrupted = file("events/2026-12-01/.3.jpg.AbC123");
  const auto fresh = file("faces/8/40.jpg", 10s);  // perhaps an enrollment still being committed

  const auto r = FileSweep(dir.path()).run();
  EXPECT_EQ(r.orphan_files, 3);
  EXPECT_TRUE(std::filesystem::exists(named));
  EXPECT_FALSE(std::filesystem::exists(orphan_snapshot));
  EXPECT_FALSE(std::filesystem::exists(orphan_crop));
  EXPECT_FALSE(std::filesystem::exists(orphan_crop.parent_path())) << "the emptied folder goes too";
  EXPECT_FALSE(std::filesystem::exists(interrupted));
  EXPECT_TRUE(std::filesystem::exists(fresh));
}

TEST_F(FileSweepTest, RowsWhoseFilesAreGoneKeepTheirDataWithoutTheReference) {
  const auto gone = dir.path() / "events" / "2026-12-01" / "9.jpg";
  const auto event = event_with(gone, 4096);
  GalleryStore gallery(dir.path());
  NewSample sample;
  sample.source = "test";
  sample.jpeg = {0xFF, 0xD8, 0xFF, 0xD9};
  const auto dana = gallery.enroll("Dana", model::PersonKind::known, std::span(&sample, 1));
  std::filesystem::remove_all(gallery.sample_dir(dana.id));

  const auto r = FileSweep(dir.path()).run();
  EXPECT_EQ(r.missing_files, 2);
  EXPECT_EQ(events.get(event)->snapshot_path, "");
  EXPECT_EQ(events.get(event)->snapshot_bytes, 0);
  EXPECT_EQ(gallery.load_index().samples(), 1u) << "the descriptor still recognises Dana";
  EXPECT_EQ(FileSweep(dir.path()).run().missing_files, 0) << "repaired once";
}

TEST_F(FileSweepTest, RecordedSnapshotSizesBecomeTheBytesOnDisk) {
  const auto snapshot = file("events/2026-12-01/1.jpg");
  const auto event = event_with(snapshot, 10);
  EXPECT_EQ(FileSweep(dir.path()).run().resized, 1);
  EXPECT_EQ(events.get(event)->snapshot_bytes, bytes_on_disk(snapshot));
  EXPECT_GE(events.get(event)->snapshot_bytes, 5000);
}

}  // namespace
}  // namespace doorbell::storage
