#include "doorbell/storage/gallery_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>

#include "doorbell/common/clock.hpp"
#include "doorbell/common/health.hpp"
#include "doorbell/gallery/gallery_cache.hpp"
#include "doorbell/gallery/gallery_watch.hpp"
#include "doorbell/storage/descriptor_blob.hpp"
#include "doorbell/storage/schema.hpp"
#include "fakes/fake_clock.hpp"
#include "support/poll.hpp"
#include "support/store_backends.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::storage {
namespace {

using model::PersonKind;

NewSample sample(float value, std::string source = "test.jpg") {
  NewSample s;
  s.descriptor[0] = value;
  s.sharpness = 100;
  s.width_px = 150;
  s.source = std::move(source);
  s.jpeg = {0xFF, 0xD8, static_cast<std::uint8_t>(value * 100), 0xFF, 0xD9};  // one image per sample
  return s;
}

class GalleryStoreTest : public testing::StoreTest {
 protected:
  // Face image files of the person: SQLite keeps each sample's image as one, PostgreSQL in its row.
  std::ptrdiff_t image_files(GalleryStore& store, std::int64_t person_id, std::ptrdiff_t on_sqlite) const {
    const auto folder = store.sample_dir(person_id);
    const auto files = std::filesystem::exists(folder)
                           ? std::distance(std::filesystem::directory_iterator(folder), {})
                           : std::ptrdiff_t{0};
    EXPECT_EQ(files, on_postgres() ? 0 : on_sqlite);
    return files;
  }
};
DOORBELL_ON_EACH_BACKEND(GalleryStoreTest);

TEST_P(GalleryStoreTest, EnrollStoresPeopleSamplesAndFaceImages) {
  GalleryStore store(where());
  const std::vector<NewSample> samples{sample(0.1f), sample(0.2f)};
  const auto alice = store.enroll("Alice", PersonKind::known, samples);
  EXPECT_GT(alice.id, 0);
  const std::vector<NewSample> more{sample(0.3f)};
  EXPECT_EQ(store.enroll("alice", PersonKind::known, more).id, alice.id) << "names are case-insensitive";

  const auto people = store.list();
  ASSERT_EQ(people.size(), 1u);
  EXPECT_EQ(people[0].samples, 3u);
  EXPECT_EQ(store.count_samples(PersonKind::known), 3u);
  image_files(store, alice.id, 3);
  const auto stored = store.samples(alice.id);
  ASSERT_EQ(stored.size(), 3u);
  const std::array<const NewSample*, 3> enrolled{&samples[0], &samples[1], &more[0]};  // oldest first
  for (std::size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(store.sample_image(alice.id, stored[i].id), enrolled[i]->jpeg) << "sample " << stored[i].id;
  }
  EXPECT_FALSE(store.sample_image(alice.id, stored.back().id + 1)) << "no such sample";
  if (on_postgres()) {  // another door: its own data directory, the same records
    testing::TempDir other_door;
    GalleryStore there({other_door.path(), where().postgres});
    EXPECT_EQ(there.sample_image(alice.id, stored[0].id), samples[0].jpeg);
  }

  const auto index = store.load_index();
  EXPECT_EQ(index.people(), 1u);
  EXPECT_EQ(index.samples(), 3u);
  model::Descriptor probe{};
  probe[0] = 0.31f;
  EXPECT_EQ(index.match(probe, {}).verdict, model::Verdict::known);

  ASSERT_TRUE(store.remove_sample(alice.id, stored[0].id));
  EXPECT_FALSE(store.sample_image(alice.id, stored[0].id)) << "gone with its sample";
  image_files(store, alice.id, 2);
}

// A gallery is loaded in batches of people of about 5,000 samples: a person whose samples fill one batch,
// and those after them, are each in the index once, in the order of their ids, with their own negatives.
TEST_P(GalleryStoreTest, ALargeGalleryIsLoadedInBatches_EveryPersonOnceWithTheirOwnFaces) {
  GalleryStore store(where());
  const auto many = store.enroll("Many", PersonKind::known, std::vector<NewSample>{sample(0.1f)});
  const auto descriptor = sample(0.1f).descriptor;
  auto db = open(migrations());
  db.prepare(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
        "INSERT INTO face_samples (person_id, descriptor, sharpness, width_px, source, image_path) "
        "SELECT ?, ?, 100, 150, 'test', '' FROM n")
      .bind(1, many.id)
      .bind(2, descriptor_bytes(descriptor))
      .run();
  const auto two =
      store.enroll("Two", PersonKind::known, std::vector<NewSample>{sample(0.5f), sample(0.55f)});
  const auto one = store.enroll("One", PersonKind::blacklist, std::vector<NewSample>{sample(0.9f)});
  store.add_negative(two.id, sample(0.7f).descriptor);

  const auto index = store.load_index();
  ASSERT_EQ(index.people(), 3u);
  EXPECT_EQ(index.persons()[0].id, many.id);
  EXPECT_EQ(index.persons()[1].id, two.id);
  EXPECT_EQ(index.persons()[2].id, one.id);
  EXPECT_EQ(index.samples_of(0).size(), 5001u * model::kDescriptorSize);
  EXPECT_EQ(index.samples_of(1).size(), 2u * model::kDescriptorSize);
  EXPECT_EQ(index.samples_of(2).size(), 1u * model::kDescriptorSize);
  EXPECT_EQ(index.negatives_of(0).size(), 0u);
  EXPECT_EQ(index.negatives_of(1).size(), 1u * model::kDescriptorSize);
  EXPECT_EQ(index.samples_of(1)[0], 0.5f);
  EXPECT_EQ(index.samples(), 5004u);
  const std::vector<std::int64_t> some{one.id, many.id};
  const auto people = store.load_people(some);
  ASSERT_EQ(people.people(), 2u);
  EXPECT_EQ(people.persons()[0].id, many.id);
  EXPECT_EQ(people.samples(), 5002u);
}

TEST_P(GalleryStoreTest, TheCacheFollowsChangesCommittedByAnotherConnection) {
  GalleryStore daemon(where());
  GalleryStore cli(where());  // as `doorbelld faces` would, in another process
  gallery::GalleryCache cache;
  const auto empty = cache.get(daemon);
  EXPECT_EQ(empty->people(), 0u);
  EXPECT_EQ(cache.get(daemon), empty) << "nothing changed: no reload";

  const std::vector<NewSample> samples{sample(0.1f), sample(0.2f)};
  const auto dana = cli.enroll("Dana", PersonKind::known, samples);
  EXPECT_EQ(cache.get(daemon)->samples(), 2u);
  cli.remove(dana.id);
  EXPECT_EQ(cache.get(daemon)->people(), 0u) << "a removal is seen at once";
}

// The change log of a gallery doors share: PostgreSQL's only.
class GalleryChangesTest : public GalleryStoreTest {
 protected:
  static std::vector<std::int64_t> ids(const model::GalleryIndex& index) {
    std::vector<std::int64_t> out;
    for (const auto& p : index.persons()) out.push_back(p.id);
    return out;
  }
};
INSTANTIATE_TEST_SUITE_P(Shared, GalleryChangesTest, ::testing::Values(Dialect::postgres),
                         testing::backend_name);

TEST_P(GalleryChangesTest, TheLogNamesThePeopleEachChangeTouched) {
  GalleryStore store(where());
  using Ids = std::vector<std::int64_t>;
  const auto start = store.generation();
  EXPECT_EQ(store.changes_since(start).people, Ids{});
  const std::vector<NewSample> two{sample(0.1f), sample(0.2f)};
  const auto ann = store.enroll("Ann", PersonKind::known, two);
  const auto bob = store.create_person("Bob", PersonKind::blacklist);
  auto changes = store.changes_since(start);
  EXPECT_EQ(changes.people, (Ids{ann.id, bob.id}));
  EXPECT_EQ(changes.generation, store.generation());

  auto since = changes.generation;
  store.update(ann.id, "Anne", std::nullopt);
  store.add_negative(bob.id, sample(0.3f).descriptor);
  EXPECT_EQ(store.changes_since(since).people, (Ids{ann.id, bob.id})) << "a rename, a negative";
  since = store.generation();
  store.remove_sample(ann.id, store.samples(ann.id).at(0).id);
  EXPECT_EQ(store.changes_since(since).people, Ids{ann.id}) << "a sample removed";
  since = store.generation();
  store.remove(ann.id);
  EXPECT_EQ(store.changes_since(since).people, Ids{ann.id}) << "removed, with the rest of her samples";

  const Ids both{ann.id, bob.id};
  const auto now = store.load_people(both);
  EXPECT_EQ(ids(now), Ids{bob.id}) << "Ann is gone";
  EXPECT_EQ(now.negatives(), 1u);
  EXPECT_EQ(store.changes_since(store.generation()).people, Ids{});
}

TEST_P(GalleryChangesTest, AWatchedCacheRefreshedFromTheLogHoldsWhatAWholeLoadHolds) {
  GalleryStore door(where());
  GalleryStore elsewhere(where());  // another door, the CLI
  gallery::GalleryCache cache;
  cache.watch();
  const std::vector<NewSample> two{sample(0.1f), sample(0.2f)};
  const auto ann = elsewhere.enroll("Ann", PersonKind::known, two);
  ASSERT_EQ(cache.get(door)->samples(), 2u) << "the first load is a whole one";

  const auto same = [&] {
    cache.refresh(door);
    const auto index = cache.get(door);
    const auto whole = door.load_index();
    EXPECT_EQ(ids(*index), ids(whole));
    EXPECT_EQ(index->samples(), whole.samples());
    EXPECT_EQ(index->negatives(), whole.negatives());
    for (std::size_t p = 0; p < whole.people(); ++p)
      EXPECT_EQ(index->persons()[p].name, whole.persons()[p].name);
  };
  const auto bob = elsewhere.enroll("Bob", PersonKind::known, std::vector<NewSample>{sample(0.5f)});
  same();
  elsewhere.add_samples(ann.id, std::vector<NewSample>{sample(0.3f)});
  elsewhere.update(bob.id, "Robert", PersonKind::blacklist);
  same();
  elsewhere.add_negative(ann.id, sample(0.9f).descriptor);
  elsewhere.remove(bob.id);
  elsewhere.enroll("Cy", PersonKind::known, std::vector<NewSample>{sample(0.7f)});
  same();
  const auto before = cache.get(door);
  cache.refresh(door);
  EXPECT_EQ(cache.get(door), before) << "nothing changed: the same index";

  // Only the people the log names are read again: a rename made behind its back (triggers off) is not.
  auto raw = open(migrations());
  raw.exec("SET session_replication_role = replica");
  raw.prepare("UPDATE people SET name = 'Unlogged' WHERE id = ?").bind(1, ann.id).run();
  elsewhere.enroll("Di", PersonKind::known, std::vector<NewSample>{sample(0.8f)});
  cache.refresh(door);
  std::vector<std::string> names;
  for (const auto& p : cache.get(door)->persons()) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Ann", "Cy", "Di"}));
}

// A door away for longer than the log is kept (a week) loads everything again.
TEST_P(GalleryChangesTest, ALogThatNoLongerReachesADoorsGenerationMakesItLoadEverything) {
  GalleryStore door(where());
  GalleryStore elsewhere(where());
  gallery::GalleryCache cache;
  cache.watch();
  const auto ann = elsewhere.enroll("Ann", PersonKind::known, std::vector<NewSample>{sample(0.1f)});
  ASSERT_EQ(cache.get(door)->people(), 1u);
  const auto away_at = door.generation();
  elsewhere.remove(ann.id);
  elsewhere.enroll("Bob", PersonKind::known, std::vector<NewSample>{sample(0.5f)});
  EXPECT_EQ(elsewhere.forget_changes("2000-01-01T00:00:00.000Z"), 0) << "nothing that old";
  EXPECT_TRUE(elsewhere.changes_since(away_at).complete);
  EXPECT_GT(elsewhere.forget_changes("9999-01-01T00:00:00.000Z"), 0);
  const auto changes = door.changes_since(away_at);
  EXPECT_FALSE(changes.complete);
  EXPECT_TRUE(changes.people.empty()) << "the log is empty now";
  cache.refresh(door);
  const auto index = cache.get(door);
  ASSERT_EQ(index->people(), 1u) << "Ann went while the log was pruned: a whole load finds that";
  EXPECT_EQ(index->persons()[0].name, "Bob");
  EXPECT_TRUE(door.changes_since(door.generation()).complete) << "from now on the log reaches back";
}

// A door's copy of the gallery on its disk follows the index once the gallery is quiet, off the refresh
// path; a write that failed is tried again; and it is written when the door stops.
TEST_P(GalleryChangesTest,
       AWatchingDoorCopiesItsIndexOnceTheGalleryIsQuiet_AgainAfterAFailedWrite_AndWhenItStops) {
  using namespace std::chrono_literals;
  GalleryStore elsewhere(where());
  const auto copy_file = where().data_dir / "gallery-copy.cbor";
  const auto copied = [&] {
    std::vector<std::string> names;
    if (const auto copy = gallery::load_gallery_copy(copy_file))
      for (const auto& p : copy->index.persons()) names.push_back(p.name);
    return names;
  };
  using Names = std::vector<std::string>;
  testing::FakeClock clock;  // the gallery's quiet time passes when the test says so
  HealthRegistry health(clock);
  auto& component = health.add("gallery");
  const auto state = [&] { return component.snapshot().state; };
  gallery::GalleryCache cache;
  std::filesystem::create_directories(copy_file / "in-the-way");  // the copy cannot be written there
  auto watch = std::make_unique<gallery::GalleryWatch>(where(), cache, component, clock);
  elsewhere.enroll("Ann", PersonKind::known, std::vector<NewSample>{sample(0.1f)});
  ASSERT_TRUE(testing::eventually(
      [&] {
        const auto index = cache.current().first;
        return index && index->people() == 1;
      },
      5s, 5ms));
  // Time passes while the test waits (the notification of Ann's enrolment may come after the load).
  const auto after_quiet_time = [&](auto done) {
    return testing::eventually([&] { return (clock.advance(1s), done()); }, 5s, 5ms);
  };
  ASSERT_TRUE(after_quiet_time([&] { return state() == ComponentState::degraded; })) << "the write failed";
  EXPECT_THAT(component.snapshot().detail, ::testing::HasSubstr("copy of the gallery cannot be written"));
  std::filesystem::remove_all(copy_file);
  EXPECT_TRUE(after_quiet_time([&] { return copied() == Names{"Ann"}; })) << "a failed write is tried again";
  EXPECT_TRUE(testing::eventually([&] { return state() == ComponentState::ready; }, 5s, 5ms));

  elsewhere.enroll("Bob", PersonKind::known, std::vector<NewSample>{sample(0.5f)});
  ASSERT_TRUE(testing::eventually(
      [&] {
        const auto index = cache.current().first;
        return index && index->people() == 2;
      },
      5s, 5ms));
  EXPECT_EQ(copied(), Names{"Ann"}) << "not written on the refresh path: the gallery has not been quiet";
  watch.reset();
  EXPECT_EQ(copied(), (Names{"Ann", "Bob"})) << "written as the door stops";
}

TEST_P(GalleryStoreTest, SurvivesReopeningAtTheSameSchemaVersion) {
  {
    GalleryStore store(where());
    const std::vector<NewSample> samples{sample(0.1f)};
    store.enroll("Mallory", PersonKind::blacklist, samples);
  }
  GalleryStore store(where());
  const auto mallory = store.find("Mallory");
  ASSERT_TRUE(mallory.has_value());
  EXPECT_EQ(mallory->kind, PersonKind::blacklist);
  std::vector<std::string_view> newer(migrations().begin(), migrations().end());
  newer.push_back("CREATE TABLE a (x INTEGER)");
  EXPECT_EQ(open(newer).schema_version(), static_cast<int>(newer.size()))
      << "only the new migration ran (the old ones would fail: their tables exist)";
}

TEST_P(GalleryStoreTest, RefusesADatabaseFromANewerVersion) {
  { GalleryStore store(where()); }
  EXPECT_THAT([&] { open({}); },
              ::testing::ThrowsMessage<DatabaseError>(::testing::HasSubstr(
                  "has schema version " + std::to_string(migrations().size()) + ", newer")));
}

TEST_P(GalleryStoreTest, KindMismatchWritesNothing) {
  GalleryStore store(where());
  const std::vector<NewSample> samples{sample(0.1f)};
  const auto bob = store.enroll("Bob", PersonKind::known, samples);
  try {
    store.enroll("Bob", PersonKind::blacklist, samples);
    FAIL() << "enrolled Bob as both kinds";
  } catch (const GalleryError& e) {
    EXPECT_EQ(e.code(), GalleryError::Code::kind_mismatch);
  }
  EXPECT_EQ(store.list()[0].samples, 1u);
  image_files(store, bob.id, 1);
}

TEST_P(GalleryStoreTest, RemoveDeletesSamplesAndFiles) {
  GalleryStore store(where());
  const std::vector<NewSample> samples{sample(0.1f), sample(0.2f)};
  const auto carol = store.enroll("Carol", PersonKind::known, samples);
  EXPECT_TRUE(store.remove(carol.id));
  EXPECT_FALSE(store.find(carol.id).has_value());
  EXPECT_EQ(store.count_samples(PersonKind::known), 0u);
  EXPECT_FALSE(std::filesystem::exists(store.sample_dir(carol.id)));
  EXPECT_FALSE(store.remove(carol.id));
}

TEST_P(GalleryStoreTest, UnknownPersonAndBadNamesAreErrors) {
  GalleryStore store(where());
  const std::vector<NewSample> samples{sample(0.1f)};
  EXPECT_THROW(store.add_samples(42, samples), GalleryError);
  EXPECT_THROW(store.create_person("", PersonKind::known), GalleryError);
  EXPECT_THROW(store.create_person(std::string("tab\there"), PersonKind::known), GalleryError);
  store.create_person("Dan", PersonKind::known);
  try {
    store.create_person("Dan", PersonKind::known);
    FAIL();
  } catch (const GalleryError& e) {
    EXPECT_EQ(e.code(), GalleryError::Code::name_taken);
  }
}

TEST(GalleryStore, UnwritableDatabaseIsNamed) {
  EXPECT_THROW(GalleryStore("/dev/null/data"), std::exception);
}

}  // namespace
}  // namespace doorbell::storage
