#include "doorbell/storage/event_spool.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include "doorbell/storage/outbox.hpp"
#include "doorbell/storage/schema.hpp"
#include "doorbell/storage/spool_file.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::storage {
namespace {

using ::testing::HasSubstr;

// Due when its retry time has come by the wall clock's `now` (the dispatcher decides the same way).
std::function<bool(const Delivery&)> due_at(std::string now) {
  return [now = std::move(now)](const Delivery& d) { return d.next_attempt_at <= now; };
}

class EventSpoolTest : public ::testing::Test {
 protected:
  EventSpoolTest() {
    config.data_dir = dir.path().string();
    config.spool_events = 2;
  }

  // The database refuses new events, as a full disk would, until `storage_returns`.
  void storage_fails() {
    saboteur.exec("CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(FAIL, 'disk full'); END");
  }
  void storage_returns() { saboteur.exec("DROP TRIGGER refuse"); }

  model::Event ring(const std::string& time) {
    model::Event e;
    e.time = time;
    e.source = "gpio";
    e.kind = model::EventKind::unknown;
    return e;
  }

  std::vector<Delivery> planned() {
    const std::vector<NewDelivery> plan{{"webhook", ""}, {"ntfy", "cooldown"}};
    return new_deliveries(plan, "2026-12-01T10:00:00.000Z");
  }

  std::string metrics() const { return prometheus::TextSerializer().Serialize(registry.Collect()); }

  testing::TempDir dir;
  StorageConfig config;
  EventStore events{dir.path()};
  Outbox outbox{dir.path()};
  Database saboteur{dir.path() / "doorbelld.db", schema_migrations()};
  SteadyClock clock;
  HealthRegistry health{clock};
  prometheus::Registry registry;
  StorageHealth storage{config, health.add("storage"), registry};
  EventSpool spool{config, events, storage, registry};
};

TEST_F(EventSpoolTest, AHeldEventIsNotifiedAtOnceAndStoredOnceStorageReturnsWithoutASecondSend) {
  storage_fails();
  const auto deliveries = planned();
  const auto key = deliveries[0].idempotency_key;
  const auto file = dir.path() / "events" / "2026-12-01" / "1.jpg";
  ASSERT_TRUE(spool.hold(ring("2026-12-01T10:00:00.000Z"), deliveries, {0xFF, 0xD8, 0xFF, 0xD9}, file));
  EXPECT_THAT(metrics(), HasSubstr("doorbell_spooled_events 1"));

  auto due = spool.take_due("webhook", due_at("2026-12-01T10:00:01.000Z"));
  ASSERT_TRUE(due);
  EXPECT_EQ(due->event.id, 0) << "not stored yet";
  EXPECT_EQ(due->snapshot->size(), 4u) << "the snapshot travels from memory";
  EXPECT_FALSE(spool.take_due("webhook", due_at("2026-12-01T10:00:01.000Z"))) << "one dispatcher at a time";
  EXPECT_FALSE(spool.take_due("ntfy", due_at("2026-12-01T10:00:01.000Z"))) << "skipped by policy";
  EXPECT_EQ(spool.flush(), 1u) << "being sent: it waits";
  spool.delivered(due->delivery.id, 1, "2026-12-01T10:00:01.500Z");

  EXPECT_EQ(spool.flush(), 1u) << "the database still refuses";
  EXPECT_EQ(health.snapshots().front().state, ComponentState::not_ready);
  storage_returns();
  EXPECT_EQ(spool.flush(), 0u);
  EXPECT_THAT(metrics(), HasSubstr("doorbell_spooled_events 0"));

  EventQuery all;
  const auto stored = events.list(all);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].time, "2026-12-01T10:00:00.000Z") << "the time of the ring, not of the store";
  EXPECT_EQ(stored[0].snapshot_path, file.string()) << "written from memory once the disk took it";
  EXPECT_TRUE(std::filesystem::exists(file));
  const auto rows = outbox.for_event(stored[0].id);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].state, "delivered");
  EXPECT_EQ(rows[0].idempotency_key, key);
  EXPECT_EQ(rows[0].attempts, 1);
  EXPECT_EQ(rows[1].state, "skipped");
  EXPECT_TRUE(outbox.pending("webhook", 10).empty()) << "never sent twice";
  EXPECT_EQ(health.snapshots().front().state, ComponentState::ready);
}

TEST_F(EventSpoolTest, ASnapshotFileSweptDuringALongOutageIsWrittenAgainFromMemory) {
  storage_fails();
  const auto file = dir.path() / "events" / "2026-12-01" / "2.jpg";
  auto event = ring("2026-12-01T10:00:00.000Z");
  event.snapshot_path = file.string();  // written, but the row could not be
  ASSERT_TRUE(spool.hold(event, planned(), {0xFF, 0xD8, 0xFF, 0xD9}, file));
  storage_returns();
  EXPECT_EQ(spool.flush(), 0u);
  EXPECT_TRUE(std::filesystem::exists(file)) << "no event names a file that is not there";
  EXPECT_EQ(events.list({}).at(0).snapshot_path, file.string());
}

TEST_F(EventSpoolTest, ARetriedDeliveryKeepsItsScheduleInTheOutbox) {
  storage_fails();
  ASSERT_TRUE(spool.hold(ring("2026-12-01T10:00:00.000Z"), planned(), {}, {}));
  const auto due = spool.take_due("webhook", due_at("2026-12-01T10:00:00.000Z"));
  ASSERT_TRUE(due);
  spool.retry(due->delivery.id, 1, "2026-12-01T10:00:05.000Z", "receiver down");
  EXPECT_FALSE(spool.take_due("webhook", due_at("2026-12-01T10:00:04.000Z"))) << "not before its time";
  storage_returns();
  EXPECT_EQ(spool.flush(), 0u);
  const auto pending = outbox.pending("webhook", 10);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].attempts, 1);
  EXPECT_EQ(pending[0].last_error, "receiver down");
  EXPECT_EQ(pending[0].next_attempt_at, "2026-12-01T10:00:05.000Z");
}

TEST_F(EventSpoolTest, BeyondItsSizeOrAtShutdownAnEventIsLostLoudly) {
  storage_fails();
  EXPECT_TRUE(spool.hold(ring("2026-12-01T10:00:00.000Z"), planned(), {}, {}));
  EXPECT_TRUE(spool.hold(ring("2026-12-01T10:00:01.000Z"), planned(), {}, {}));
  EXPECT_FALSE(spool.hold(ring("2026-12-01T10:00:02.000Z"), planned(), {}, {}));
  EXPECT_THAT(metrics(), HasSubstr("doorbell_events_lost_total{reason=\"spool_full\"} 1"));
  spool.stop();
  EXPECT_THAT(metrics(), HasSubstr("doorbell_events_lost_total{reason=\"shutdown\"} 2"));
  EXPECT_EQ(spool.size(), 0u);
}

TEST_F(EventSpoolTest, StopStoresWhatStorageTakesByThen) {
  storage_fails();
  ASSERT_TRUE(spool.hold(ring("2026-12-01T10:00:00.000Z"), planned(), {}, {}));
  storage_returns();
  spool.stop();
  EXPECT_EQ(events.list({}).size(), 1u);
  EXPECT_THAT(metrics(), HasSubstr("doorbell_events_lost_total{reason=\"shutdown\"} 0"));
}

// With the records in a shared database, held events are on the door's own disk too: a spool made after a
// restart holds them again — their deliveries as they stood, their faces, their snapshot — and stores them
// once.
TEST_F(EventSpoolTest, WithASharedDatabaseHeldEventsOutliveARestart) {
  storage_fails();
  auto shared = config;
  shared.backend = "postgres";
  auto event = ring("2026-12-01T10:00:00.000Z");
  event.ring_id = 7;
  model::DescribedFace face;
  face.descriptor[5] = 0.25F;
  face.sharpness = 2.5;
  face.crop = {0xFF, 0xD8, 0x01, 0xFF, 0xD9};
  event.described.push_back(face);
  const auto snapshot = dir.path() / "events" / "2026-12-01" / "3.jpg";
  std::string key;
  {
    prometheus::Registry first_registry;
    EventSpool first{shared, events, storage, first_registry};
    ASSERT_TRUE(first.hold(event, planned(), {0xFF, 0xD8, 0xFF, 0xD9}, snapshot));
    const auto due = first.take_due("webhook", due_at("2026-12-01T10:00:01.000Z"));
    ASSERT_TRUE(due);
    key = due->delivery.idempotency_key;
    first.delivered(due->delivery.id, 1, "2026-12-01T10:00:01.500Z");
    first.stop();  // the database still refuses it
    EXPECT_THAT(prometheus::TextSerializer().Serialize(first_registry.Collect()),
                HasSubstr("doorbell_events_lost_total{reason=\"shutdown\"} 0"))
        << "kept on disk, not lost";
  }
  prometheus::Registry second_registry;
  EventSpool second{shared, events, storage, second_registry};
  EXPECT_EQ(second.size(), 1u);
  EXPECT_TRUE(second.holds_ring(7)) << "its ring is not interrupted";
  EXPECT_FALSE(second.holds_ring(8));
  EXPECT_FALSE(second.take_due("webhook", due_at("2026-12-01T10:00:02.000Z"))) << "sent before the restart";
  storage_returns();
  EXPECT_EQ(second.flush(), 0u);

  const auto stored = events.list({});
  ASSERT_EQ(stored.size(), 1u);
  const auto rows = outbox.for_event(stored[0].id);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].state, "delivered");
  EXPECT_EQ(rows[0].idempotency_key, key);
  EXPECT_EQ(stored[0].snapshot_path, snapshot.string());
  EXPECT_TRUE(std::filesystem::exists(snapshot)) << "written from the bytes kept on disk";
  auto faces = saboteur.prepare("SELECT sharpness, length(crop), length(descriptor) FROM event_faces");
  ASSERT_TRUE(faces.step());
  EXPECT_EQ(faces.real(0), 2.5);
  EXPECT_EQ(faces.integer(1), 5);
  EXPECT_EQ(faces.integer(2), 512);

  prometheus::Registry third_registry;
  EXPECT_EQ(EventSpool(shared, events, storage, third_registry).size(), 0u) << "off the disk once stored";
}

// The shared database took an event but the door's disk kept it (the delete after the commit failed): at
// the next start it is dropped from the disk, not held and notified again.
TEST_F(EventSpoolTest, AHeldEventTheDatabaseHasAlreadyIsDroppedAtStart) {
  auto shared = config;
  shared.backend = "postgres";
  const auto deliveries = planned();
  events.insert(ring("2026-12-01T10:00:00.000Z"), std::span<const Delivery>(deliveries));
  SpoolFile(dir.path()).add(ring("2026-12-01T10:00:00.000Z"), deliveries, {}, {});

  prometheus::Registry spool_registry;
  EventSpool restarted{shared, events, storage, spool_registry};
  EXPECT_EQ(restarted.size(), 0u);
  EXPECT_FALSE(restarted.take_due("webhook", due_at("2026-12-01T10:00:01.000Z"))) << "not notified again";
  EXPECT_TRUE(SpoolFile(dir.path()).all().empty());
  EXPECT_EQ(events.list({}).size(), 1u);
}

// The same for an event without any delivery (no channel configured): found by its own key.
TEST_F(EventSpoolTest, AHeldEventWithoutDeliveriesTheDatabaseHasAlreadyIsDroppedAtStart) {
  auto shared = config;
  shared.backend = "postgres";
  auto event = ring("2026-12-01T10:00:00.000Z");
  event.idempotency_key = "0123456789abcdef0123456789abcdef";
  events.insert(event);
  SpoolFile(dir.path()).add(event, {}, {}, {});

  prometheus::Registry spool_registry;
  EventSpool restarted{shared, events, storage, spool_registry};
  EXPECT_EQ(restarted.size(), 0u);
  EXPECT_TRUE(SpoolFile(dir.path()).all().empty());
  restarted.flush();
  ASSERT_EQ(events.list({}).size(), 1u) << "not stored twice";
  EXPECT_EQ(events.list({})[0].idempotency_key, event.idempotency_key);
}

// A held event the door's disk does not take is a local problem: storage is not ready (a restart would
// lose it) until the door's database takes a write again.
TEST_F(EventSpoolTest, AHeldEventTheDoorsDiskRefusesMakesStorageNotReady) {
  storage_fails();
  auto shared = config;
  shared.backend = "postgres";
  prometheus::Registry spool_registry;
  EventSpool spool_on_disk{shared, events, storage, spool_registry};
  saboteur.exec(
      "CREATE TRIGGER refuse_spool BEFORE INSERT ON spooled_events BEGIN SELECT RAISE(FAIL, 'I/O error'); "
      "END");
  ASSERT_TRUE(spool_on_disk.hold(ring("2026-12-01T10:00:00.000Z"), planned(), {}, {})) << "held in memory";
  const auto state = health.snapshots().front();
  EXPECT_EQ(state.state, ComponentState::not_ready);
  EXPECT_THAT(state.detail, HasSubstr("cannot keep held events on the door's disk"));
  EXPECT_THAT(metrics(), HasSubstr("doorbell_storage_write_failures_total{item=\"spool\"} 1"));
  saboteur.exec("DROP TRIGGER refuse_spool");
  storage.check_now();  // the door's database takes the probe's write
  EXPECT_THAT(health.snapshots().front().detail, ::testing::Not(HasSubstr("door's disk")));
}

}  // namespace
}  // namespace doorbell::storage
