#include "doorbell/storage/event_store.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "doorbell/storage/atomic_file.hpp"
#include "support/store_backends.hpp"

namespace doorbell::storage {
namespace {

class EventStoreTest : public testing::StoreTest {
 protected:
  // An event at `time` with a snapshot of `bytes` bytes: a file under events/<date>/ (SQLite), or in the
  // records (PostgreSQL), as the recognition worker stores them.
  std::int64_t add(const std::string& time, std::size_t bytes, bool clock_synced = true) {
    model::Event e;
    e.time = time;
    e.clock_synced = clock_synced;
    e.source = "http";
    e.kind = model::EventKind::no_face;
    const std::vector<std::uint8_t> jpeg(bytes, 'x');
    if (bytes > 0) {
      const auto name = std::filesystem::path("events") / time.substr(0, 10) / (time + ".jpg");
      e.snapshot_path = name.string();
      if (!store.keeps_snapshots()) {
        storage::write_file_atomically(dir.path() / name, jpeg);
        e.snapshot_path = (dir.path() / name).string();
        e.snapshot_bytes = static_cast<std::int64_t>(bytes);
      }
    }
    return store.insert(e, std::span<const NewDelivery>(), jpeg);
  }
  std::optional<std::vector<std::uint8_t>> snapshot(std::int64_t id) {
    return store.snapshot(*store.get(id));
  }

  EventStore store{where()};
};
DOORBELL_ON_EACH_BACKEND(EventStoreTest);

TEST_P(EventStoreTest, ListingFiltersByKindPersonAndTimeNewestFirstAndPagesById) {
  const auto ring = [&](const std::string& time, const std::string& kind, std::vector<std::string> names) {
    model::Event e;
    e.time = time;
    e.source = "gpio";
    e.kind = *model::parse_event_kind(kind);
    e.names = std::move(names);
    return store.insert(e);
  };
  const auto dana_jan = ring("2026-01-15T08:00:00.000Z", "known", {"Dana"});
  const auto both = ring("2026-01-15T09:00:00.000Z", "known", {"Sam", "Dana"});
  const auto stranger = ring("2026-01-16T08:00:00.000Z", "unknown", {});
  const auto eve = ring("2026-02-01T08:00:00.000Z", "blacklisted", {"Eve"});
  // The ids that a query made by `set` lists.
  const auto ids = [&](const std::function<void(EventQuery&)>& set) {
    EventQuery q;
    set(q);
    std::vector<std::int64_t> out;
    for (const auto& e : store.list(q)) out.push_back(e.id);
    return out;
  };
  using Ids = std::vector<std::int64_t>;
  EXPECT_EQ(ids([](auto&) {}), (Ids{eve, stranger, both, dana_jan}));
  EXPECT_EQ(ids([](auto& q) { q.limit = 2; }), (Ids{eve, stranger}));
  EXPECT_EQ(ids([&](auto& q) {
              q.limit = 2;
              q.before_id = stranger;
            }),
            (Ids{both, dana_jan}));
  EXPECT_EQ(ids([](auto& q) { q.kind = model::EventKind::known; }), (Ids{both, dana_jan}));
  EXPECT_EQ(ids([](auto& q) { q.person = "Dana"; }), (Ids{both, dana_jan})) << "among several names too";
  EXPECT_EQ(ids([](auto& q) { q.person = "Sam"; }), (Ids{both}));
  EXPECT_EQ(ids([](auto& q) { q.person = "dana"; }), (Ids{both, dana_jan})) << "in any case, as the gallery";
  EXPECT_EQ(ids([](auto& q) { q.person = "Dan"; }), (Ids{})) << "a whole name, not a part";
  EXPECT_EQ(ids([](auto& q) {
              q.since = "2026-01-15";
              q.until = "2026-01-16";
            }),
            (Ids{both, dana_jan}));
  EXPECT_EQ(ids([](auto& q) { q.since = "2026-01-16"; }), (Ids{eve, stranger}));
  EXPECT_EQ(ids([](auto& q) {
              q.until = "2026-01-16";
              q.person = "Sam";
            }),
            (Ids{both}));
  EXPECT_EQ(ids([&](auto& q) {
              q.limit = 1;
              q.before_id = both;
              q.since = "2026-01-15";
              q.until = "2026-01-16";
            }),
            (Ids{dana_jan}));
}

TEST_P(EventStoreTest, PruningByAgeDeletesOldEventsWithTheirSnapshotsAndEmptyDays) {
  const auto old_one = add("2026-01-01T10:00:00.000Z", 100);
  add("2026-01-01T11:00:00.000Z", 0);
  const auto recent = add("2026-11-20T10:00:00.000Z", 300);
  const auto old_event = *store.get(old_one);
  ASSERT_TRUE(store.snapshot(old_event));

  const auto r = store.prune("2026-06-01T00:00:00.000Z", 0);
  EXPECT_EQ(r.events, 2);
  EXPECT_EQ(r.snapshots, 1);
  EXPECT_EQ(r.bytes_freed, 100);
  EXPECT_EQ(r.snapshot_bytes, 300);
  EXPECT_FALSE(store.get(old_one));
  EXPECT_FALSE(store.snapshot(old_event)) << "gone with its event";
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "events" / "2026-01-01")) << "the emptied day goes too";
  ASSERT_TRUE(store.get(recent));
  EXPECT_EQ(snapshot(recent).value_or(std::vector<std::uint8_t>()).size(), 300u);
}

TEST_P(EventStoreTest, PruningBySizeRemovesTheOldestSnapshotsButKeepsTheirEvents) {
  const auto first = add("2026-11-20T10:00:00.000Z", 400);
  const auto second = add("2026-11-20T11:00:00.000Z", 400);
  const auto third = add("2026-11-21T10:00:00.000Z", 400);
  const auto first_event = *store.get(first);

  const auto r = store.prune(std::nullopt, 900);
  EXPECT_EQ(r.events, 0);
  EXPECT_EQ(r.snapshots, 1);
  EXPECT_EQ(r.snapshot_bytes, 800);
  ASSERT_TRUE(store.get(first));
  EXPECT_TRUE(store.get(first)->snapshot_path.empty()) << "the event stays, without a picture";
  EXPECT_FALSE(store.snapshot(first_event)) << "its picture is gone";
  if (!on_postgres()) {
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "events" / "2026-11-20")) << "the day still has one";
  }
  EXPECT_TRUE(snapshot(second));
  EXPECT_TRUE(snapshot(third));

  EXPECT_EQ(store.prune(std::nullopt, 900).snapshots, 0) << "already within the limit";
  EXPECT_EQ(store.prune(std::nullopt, 0).snapshots, 0) << "0 means no limit";
  EXPECT_EQ(store.prune(std::nullopt, 1).snapshots, 2);
}

// Snapshots as files: SQLite's only (PostgreSQL keeps them in their rows).
class EventStoreFileTest : public EventStoreTest {};
INSTANTIATE_TEST_SUITE_P(Files, EventStoreFileTest, ::testing::Values(Dialect::sqlite),
                         testing::backend_name);

TEST_P(EventStoreFileTest, ASnapshotThatCannotBeRemovedIsCountedAndItsRowStillGoes) {
  const auto id = add("2026-01-01T10:00:00.000Z", 10);
  const auto file = store.get(id)->snapshot_path;
  std::filesystem::remove(file);
  std::filesystem::create_directories(std::filesystem::path(file) / "child");  // a non-empty directory
  const auto r = store.prune("2026-06-01T00:00:00.000Z", 0);
  EXPECT_EQ(r.events, 1);
  EXPECT_EQ(r.file_errors, 1);
  EXPECT_FALSE(store.get(id));
}

// A Raspberry Pi without a real-time clock: events before its first NTP answer carry a stale time (here
// the clock of its last shutdown, months back), then NTP moves the clock forward.
TEST_P(EventStoreTest, AStaleTimeFromBeforeTheClockWasSynchronisedDoesNotMakeARecentEventOld) {
  const auto before_shutdown = add("2026-01-01T10:00:00.000Z", 0);
  const auto at_boot = add("2026-01-02T09:00:00.000Z", 0, false);  // really 2026-11-20
  const auto after_sync = add("2026-11-20T10:00:00.000Z", 0);
  EXPECT_FALSE(store.get(at_boot)->clock_synced);
  EXPECT_TRUE(store.get(after_sync)->clock_synced);

  EXPECT_EQ(store.prune("2026-06-01T00:00:00.000Z", 0).events, 1) << "only the truly old one";
  EXPECT_FALSE(store.get(before_shutdown));
  EXPECT_TRUE(store.get(at_boot)) << "its time is not proof of its age";

  EXPECT_EQ(store.prune("2026-12-01T00:00:00.000Z", 0).events, 2) << "it goes with the later one";
  EXPECT_FALSE(store.get(at_boot));
  EXPECT_FALSE(store.get(after_sync));
}

TEST_P(EventStoreTest, AClockSetBackNeverRemovesAnEventRecordedAfterAYoungOne) {
  const auto young = add("2026-11-20T10:00:00.000Z", 0);
  const auto after_jump = add("2026-03-01T10:00:00.000Z", 0);  // the clock went back (a bad RTC, a typo)
  EXPECT_EQ(store.prune("2026-06-01T00:00:00.000Z", 0).events, 2)
      << "what was recorded before an old-looking event is older still";
  EXPECT_FALSE(store.get(young));
  EXPECT_FALSE(store.get(after_jump));

  const auto first = add("2026-03-02T10:00:00.000Z", 0);
  const auto second = add("2026-11-21T10:00:00.000Z", 0);
  const auto third = add("2026-03-03T10:00:00.000Z", 0, false);
  add("2026-11-22T10:00:00.000Z", 0);
  EXPECT_EQ(store.prune("2026-06-01T00:00:00.000Z", 0).events, 1)
      << "an unsynchronised time followed by a synchronised one is no witness";
  EXPECT_FALSE(store.get(first));
  EXPECT_TRUE(store.get(second));
  EXPECT_TRUE(store.get(third));
}

TEST_P(EventStoreTest, OnAHostThatNeverSynchronisesItsClockRetentionStillWorks) {
  const auto old_one = add("2026-01-01T10:00:00.000Z", 0, false);
  const auto recent = add("2026-11-20T10:00:00.000Z", 0, false);
  EXPECT_EQ(store.prune("2026-06-01T00:00:00.000Z", 0).events, 1);
  EXPECT_FALSE(store.get(old_one));
  EXPECT_TRUE(store.get(recent));
}

TEST_P(EventStoreTest, StoringAHeldEventAgainAfterItsCommitWentThroughStoresItOnce) {
  model::Event e;
  e.time = "2026-11-20T10:00:00.000Z";
  e.source = "gpio";
  e.kind = model::EventKind::unknown;
  const std::vector<NewDelivery> planned{{"webhook", ""}, {"ntfy", ""}};
  const auto deliveries = new_deliveries(planned, e.time);
  const auto id = store.insert(e, std::span<const Delivery>(deliveries));
  EXPECT_EQ(store.insert(e, std::span<const Delivery>(deliveries)), id) << "the same event";
  EXPECT_EQ(store.list({}).size(), 1u);

  e.idempotency_key = "0123456789abcdef0123456789abcdef";  // chosen when it was decided
  const auto alone = store.insert(e);                      // no channel: no delivery to find it by
  EXPECT_NE(alone, id);
  EXPECT_EQ(store.insert(e), alone) << "found by its own key";
  EXPECT_EQ(store.stored_as(e, {}), alone);
  EXPECT_EQ(store.list({}).size(), 2u);
  EXPECT_EQ(store.get(alone)->idempotency_key, e.idempotency_key);
  EXPECT_EQ(store.get(id)->idempotency_key.size(), 32u) << "one chosen when none was given";
}

// A snapshot is read back from where the records keep it — on PostgreSQL, by every door.
TEST_P(EventStoreTest, ASnapshotIsReadBackByEveryDoorThatSharesTheRecords) {
  const auto pictured = add("2026-11-20T10:00:00.000Z", 1000);
  const auto bare = add("2026-11-20T11:00:00.000Z", 0);
  EXPECT_EQ(snapshot(pictured), std::vector<std::uint8_t>(1000, 'x'));
  EXPECT_EQ(store.get(pictured)->snapshot_bytes, 1000);
  EXPECT_FALSE(store.get(pictured)->snapshot_path.empty());
  EXPECT_FALSE(snapshot(bare));
  EXPECT_TRUE(store.get(bare)->snapshot_path.empty());
  if (!on_postgres()) return;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "events")) << "no file on the door's disk";
  testing::TempDir other_door;
  EventStore there({other_door.path(), where().postgres}, "back");
  EXPECT_EQ(there.snapshot(*there.get(pictured)), std::vector<std::uint8_t>(1000, 'x'));
}

// Doors sharing the records: each prunes its own events.
TEST_P(EventStoreTest, RetentionOfOneDoorLeavesTheOtherDoorsEvents) {
  EventStore front(where(), "front");
  model::Event e;
  e.source = "gpio";
  e.kind = model::EventKind::no_face;
  for (const auto* door : {"front", "back"}) {
    e.door = door;
    e.time = "2026-01-01T10:00:00.000Z";
    front.insert(e);
    e.time = "2026-11-20T10:00:00.000Z";  // a younger one of each door, the witness of a synced clock
    front.insert(e);
  }
  EXPECT_EQ(front.prune("2026-06-01T00:00:00.000Z", 0).events, 1);
  EventQuery back;
  back.door = "back";
  EXPECT_EQ(store.list(back).size(), 2u) << "the back door's old event is the back door's to prune";
}

// The doors whose events are in the records, each by the name it stored its last event under; a door
// whose events another door stores (the spool of a door on the same records) keeps its name.
TEST_P(EventStoreTest, TheDoorsAreListedByTheNamesTheyStoredTheirEventsUnder) {
  EXPECT_TRUE(store.doors().empty()) << "no events yet";
  model::Event e;
  e.source = "gpio";
  e.kind = model::EventKind::no_face;
  e.time = "2026-11-20T10:00:00.000Z";
  {
    EventStore front(where(), "front", "Front door");
    e.door = "front";
    front.insert(e);
    e.door = "back";
    front.insert(e);  // the back door's event, stored here: not named by this door
  }
  using Doors = std::vector<std::pair<std::string, std::string>>;
  const auto listed = [&] {
    Doors out;
    for (const auto& d : store.doors()) out.emplace_back(d.id, d.name);
    return out;
  };
  EXPECT_EQ(listed(), (Doors{{"back", ""}, {"front", "Front door"}}));
  EventStore back(where(), "back", "Garden gate");
  back.insert(e);
  EventStore renamed(where(), "front", "Porch");
  e.door = "front";
  renamed.insert(e);
  EXPECT_EQ(listed(), (Doors{{"back", "Garden gate"}, {"front", "Porch"}}));
  EventStore one_door(where(), "", "Front door");  // a door alone: its events are all its own
  e.door = "";
  one_door.insert(e);
  EXPECT_EQ(listed().size(), 2u) << "an event of no door.id names no door";
}

}  // namespace
}  // namespace doorbell::storage
