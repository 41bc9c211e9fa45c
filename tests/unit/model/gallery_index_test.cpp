#include "doorbell/model/gallery_index.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "doorbell/gallery/gallery_watch.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::model {
namespace {

// A unit-length-ish descriptor with one coordinate set: distance between axis(i, a) and axis(j, b) is
// sqrt(a^2 + b^2) for i != j and |a - b| for i == j.
model::Descriptor axis(int i, float value) {
  model::Descriptor d{};
  d[static_cast<std::size_t>(i)] = value;
  return d;
}

// Ann (1) renamed with a new sample, Bob (2) unchanged, Cy (3) removed, Di (4) new, Eve (5) given a negative:
// the index made from the changed people alone is the one a whole new load gives.
TEST(GalleryIndex, PuttingChangedPeopleInPlaceGivesWhatAWholeLoadGives) {
  const std::vector<model::Descriptor> ann{axis(0, 1.0f)};
  const std::vector<model::Descriptor> ann_now{axis(0, 1.0f), axis(0, 0.5f)};
  const std::vector<model::Descriptor> bob{axis(1, 1.0f), axis(1, 0.9f)};
  const std::vector<model::Descriptor> cy{axis(2, 1.0f)};
  const std::vector<model::Descriptor> di{axis(3, 1.0f)};
  const std::vector<model::Descriptor> eve{axis(4, 1.0f)};
  const std::vector<model::Descriptor> not_eve{axis(4, 0.7f)};
  GalleryIndex before;
  before.add({1, "Ann", PersonKind::known}, ann);
  before.add({2, "Bob", PersonKind::known}, bob, eve);  // a negative of Bob's stays with Bob
  before.add({3, "Cy", PersonKind::known}, cy);
  before.add({5, "Eve", PersonKind::blacklist}, eve);
  GalleryIndex changed;  // as the database has the changed people now, in the order of their ids
  changed.add({1, "Anne", PersonKind::known}, ann_now);
  changed.add({4, "Di", PersonKind::known}, di);
  changed.add({5, "Eve", PersonKind::blacklist}, eve, not_eve);
  GalleryIndex whole;
  whole.add({1, "Anne", PersonKind::known}, ann_now);
  whole.add({2, "Bob", PersonKind::known}, bob, eve);
  whole.add({4, "Di", PersonKind::known}, di);
  whole.add({5, "Eve", PersonKind::blacklist}, eve, not_eve);

  const std::vector<std::int64_t> ids{1, 3, 4, 5};
  const auto after = before.with_people(ids, changed);
  ASSERT_EQ(after.people(), whole.people());
  for (std::size_t p = 0; p < whole.people(); ++p) {
    EXPECT_EQ(after.persons()[p].id, whole.persons()[p].id);
    EXPECT_EQ(after.persons()[p].name, whole.persons()[p].name);
  }
  EXPECT_EQ(after.samples(), whole.samples());
  EXPECT_EQ(after.negatives(), whole.negatives());
  for (const auto& probe :
       {axis(0, 0.55f), axis(1, 0.95f), axis(2, 1.0f), axis(3, 1.0f), axis(4, 0.75f), axis(4, 1.0f)}) {
    const auto got = after.match(probe, {});
    const auto want = whole.match(probe, {});
    EXPECT_EQ(got.verdict, want.verdict);
    EXPECT_EQ(got.person == nullptr ? 0 : got.person->id, want.person == nullptr ? 0 : want.person->id);
    EXPECT_DOUBLE_EQ(got.distance, want.distance);
  }
  EXPECT_EQ(before.people(), 4u) << "the index in use is not changed";
  EXPECT_EQ(GalleryIndex().with_people(ids, changed).people(), 3u) << "from nothing: the changed ones";
}

// A door's copy of the shared gallery on its disk reads back as the index it was, with its generation; a
// damaged one is not used.
TEST(GalleryCopy, ReadsBackAsTheIndexItWas_AndADamagedOneIsNotUsed) {
  testing::TempDir dir;
  const auto file = dir.path() / "gallery-copy.cbor";
  EXPECT_FALSE(gallery::load_gallery_copy(file)) << "none yet";
  GalleryIndex index;
  const std::vector<model::Descriptor> ann{axis(0, 1.0f), axis(0, 0.8f)};
  const std::vector<model::Descriptor> eve{axis(1, 1.0f)};
  const std::vector<model::Descriptor> not_eve{axis(1, 0.6f)};
  index.add({3, "Ann", PersonKind::known}, ann);
  index.add({8, "Eve", PersonKind::blacklist}, eve, not_eve);
  gallery::save_gallery_copy(file, index, 42);

  const auto copy = gallery::load_gallery_copy(file);
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->generation, 42);
  const auto& read = copy->index;
  ASSERT_EQ(read.people(), 2u);
  EXPECT_EQ(read.persons()[1].id, 8);
  EXPECT_EQ(read.persons()[1].name, "Eve");
  EXPECT_EQ(read.persons()[1].kind, PersonKind::blacklist);
  EXPECT_EQ(read.samples(), 3u);
  EXPECT_EQ(read.negatives(), 1u);
  for (const auto& probe : {axis(0, 0.85f), axis(1, 0.9f), axis(1, 0.62f)}) {
    EXPECT_EQ(read.match(probe, {}).verdict, index.match(probe, {}).verdict);
    EXPECT_DOUBLE_EQ(read.match(probe, {}).distance, index.match(probe, {}).distance);
  }

  const auto whole = std::filesystem::file_size(file);
  std::ofstream(file, std::ios::app | std::ios::binary) << "more";
  EXPECT_FALSE(gallery::load_gallery_copy(file)) << "bytes after the last person's descriptors";
  std::filesystem::resize_file(file, whole - 4);
  EXPECT_FALSE(gallery::load_gallery_copy(file)) << "the last descriptor cut short";
  std::filesystem::resize_file(file, 20);
  EXPECT_FALSE(gallery::load_gallery_copy(file)) << "the header cut short";
  std::filesystem::resize_file(file, 3);
  EXPECT_FALSE(gallery::load_gallery_copy(file)) << "not even the header's length";
  std::ofstream(file, std::ios::trunc | std::ios::binary) << "\xff\xff\xff\xff\xff\xff\xff\xff";
  EXPECT_FALSE(gallery::load_gallery_copy(file)) << "a header longer than the file";
  for (const std::uint64_t samples :
       {std::uint64_t{1} << 40, std::uint64_t{1} << 58}) {  // and * 512 overflows
    const auto header = nlohmann::json::to_cbor(
        {{"version", 3},
         {"generation", 1},
         {"people",
          {{{"id", 1}, {"name", "Ann"}, {"kind", "known"}, {"samples", samples}, {"negatives", 0}}}}});
    const std::uint64_t length = header.size();
    std::ofstream out(file, std::ios::trunc | std::ios::binary);
    out.write(reinterpret_cast<const char*>(&length), sizeof length);
    out.write(reinterpret_cast<const char*>(header.data()), static_cast<std::streamsize>(header.size()));
    out.close();
    EXPECT_FALSE(gallery::load_gallery_copy(file)) << "a header claiming " << samples << " samples";
  }
  gallery::save_gallery_copy(file, GalleryIndex(), 7);
  const auto empty = gallery::load_gallery_copy(file);
  ASSERT_TRUE(empty) << "an empty gallery has a copy too";
  EXPECT_EQ(empty->index.people(), 0u);
  EXPECT_EQ(empty->generation, 7);
}

TEST(GalleryIndex, EmptyGalleryIsUnknownWithoutAPerson) {
  const GalleryIndex index;
  const auto m = index.match(axis(0, 1), {});
  EXPECT_EQ(m.verdict, Verdict::unknown);
  EXPECT_EQ(m.person, nullptr);
  EXPECT_TRUE(std::isinf(m.distance));
}

TEST(GalleryIndex, NearestPersonWithinThresholdIsKnownOrBlacklisted) {
  GalleryIndex index;
  const std::vector<model::Descriptor> alice{axis(0, 1.0f), axis(0, 0.8f)};
  const std::vector<model::Descriptor> mallory{axis(1, 1.0f)};
  index.add({1, "Alice", PersonKind::known}, alice);
  index.add({2, "Mallory", PersonKind::blacklist}, mallory);
  EXPECT_EQ(index.people(), 2u);
  EXPECT_EQ(index.samples(), 3u);

  auto m = index.match(axis(0, 0.85f), {0.6, 0.04});
  EXPECT_EQ(m.verdict, Verdict::known);
  ASSERT_NE(m.person, nullptr);
  EXPECT_EQ(m.person->name, "Alice");
  EXPECT_NEAR(m.distance, 0.05, 1e-6) << "nearest sample of the person counts";
  EXPECT_NEAR(m.second_distance, std::sqrt(0.85 * 0.85 + 1.0), 1e-6);

  m = index.match(axis(1, 1.3f), {0.6, 0.04});
  EXPECT_EQ(m.verdict, Verdict::blacklisted);
  EXPECT_EQ(m.person->name, "Mallory");
}

TEST(GalleryIndex, BeyondThresholdIsUnknownButNamesTheNearest) {
  GalleryIndex index;
  const std::vector<model::Descriptor> alice{axis(0, 1.0f)};
  index.add({1, "Alice", PersonKind::known}, alice);
  const auto m = index.match(axis(0, 0.3f), {0.6, 0.04});
  EXPECT_EQ(m.verdict, Verdict::unknown);
  ASSERT_NE(m.person, nullptr);
  EXPECT_EQ(m.person->name, "Alice");
  EXPECT_NEAR(m.distance, 0.7, 1e-6);
  EXPECT_FALSE(m.ambiguous);
}

TEST(GalleryIndex, TwoPeopleWithinTheMarginAreAmbiguous) {
  GalleryIndex index;
  const std::vector<model::Descriptor> a{axis(0, 0.3f)}, b{axis(1, 0.31f)};
  index.add({1, "Ann", PersonKind::known}, a);
  index.add({2, "Bea", PersonKind::known}, b);
  const auto m = index.match(model::Descriptor{}, {0.6, 0.04});  // 0.30 from Ann, 0.31 from Bea
  EXPECT_EQ(m.verdict, Verdict::unknown);
  EXPECT_TRUE(m.ambiguous);
  EXPECT_EQ(index.match(model::Descriptor{}, {0.6, 0.0}).verdict, Verdict::known)
      << "no margin: nearest wins";
}

TEST(Distance, IsEuclidean) {
  model::Descriptor a{}, b{};
  a[3] = 3;
  b[100] = 4;
  EXPECT_DOUBLE_EQ(distance(a, b), 5.0);
}

TEST(GalleryIndex, AFaceNearerToOneOfAPersonsNegativesThanToTheirSamplesIsNeverThem) {
  GalleryIndex index;
  const std::vector<model::Descriptor> dana{axis(0, 1.0f)};
  const std::vector<model::Descriptor> not_dana{axis(0, 1.4f)};  // "this is not Dana"
  index.add({1, "Dana", PersonKind::known}, dana, not_dana);
  index.add({2, "Sam", PersonKind::known}, std::vector<model::Descriptor>{axis(1, 1.0f)});
  EXPECT_EQ(index.negatives(), 1u);

  auto m = index.match(axis(0, 1.35f), {0.6, 0.04});  // 0.35 from Dana, 0.05 from her negative
  EXPECT_EQ(m.verdict, Verdict::unknown);
  ASSERT_NE(m.person, nullptr);
  EXPECT_EQ(m.person->name, "Sam") << "Dana is out of the running; the nearest other person is named";

  m = index.match(axis(0, 1.1f), {0.6, 0.04});  // nearer to Dana than to the negative: still Dana
  EXPECT_EQ(m.verdict, Verdict::known);
  ASSERT_NE(m.person, nullptr);
  EXPECT_EQ(m.person->name, "Dana");
}

}  // namespace
}  // namespace doorbell::model
