#pragma once
// EventStore: every ring's outcome (time, source, kind, one decision per face, names, distances, snapshot,
// trace id, latency) in the door's SQLite file or the database doors share. Owns a connection for writes
// and one for reads, each behind its mutex: thread-safe.

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "doorbell/model/event.hpp"
#include "doorbell/storage/database.hpp"
#include "doorbell/storage/delivery_ledger.hpp"
#include "doorbell/storage/location.hpp"
#include "doorbell/storage/ring_journal.hpp"

namespace doorbell::storage {

// The idempotency key of the event that ends ring `ring_id` (its journal row) of `door` at `time`: the
// event decided for it and one recorded as interrupted for it after a crash are the same event. Random
// for a ring without a journal row.
std::string event_key(const std::string& door, std::int64_t ring_id, const std::string& time);

// A delivery to create with an event: pending, or skipped with the reason (cooldown, quiet hours).
struct NewDelivery {
  std::string channel;
  std::string skipped_because;  // empty: pending
};

// The outbox rows of planned deliveries, created at `now`: pending or skipped, each with an idempotency key
// no other delivery shares.
std::vector<Delivery> new_deliveries(std::span<const NewDelivery> planned, const std::string& now);

// A door whose events are in the records, as its configuration names it (door.id, door.name).
struct DoorSummary {
  std::string id;
  std::string name;  // empty: not known (its events are from before doors were named)
};

struct EventQuery {
  int limit = 50;
  std::optional<std::int64_t> before_id;  // paging: events older than this id
  std::optional<std::string> since;       // ISO 8601, inclusive
  std::optional<std::string> until;       // ISO 8601, exclusive
  std::optional<model::EventKind> kind;
  std::optional<std::string> person;    // events that named this person (as named then; any case)
  std::optional<std::int64_t> visitor;  // events where this visitor cluster was seen
  std::optional<std::string> door;      // events of this door (door.id)
};

// What one pruning pass removed, and what is left.
struct PruneResult {
  std::int64_t events = 0;     // deleted for their age, with their snapshots
  std::int64_t snapshots = 0;  // snapshots removed, for age or for size
  std::int64_t bytes_freed = 0;
  std::int64_t snapshot_bytes = 0;  // snapshots kept
  std::int64_t file_errors = 0;     // files that could not be removed (logged)
};

class EventStore {
 public:
  // `door` (door.id), on a database doors share: retention prunes this door's events and snapshots only.
  // Empty: every event. `door_name` (door.name) is what the records list the door as (doors()).
  explicit EventStore(const Location& where, std::string door = {}, std::string door_name = {});

  // Where snapshots are: true — in the records (PostgreSQL), so every door and the app read every door's
  // pictures: insert() stores the bytes it is given; false — files on this door's disk (SQLite), which the
  // caller writes and names in snapshot_path before insert().
  bool keeps_snapshots() const { return keeps_snapshots_; }

  // The event and its deliveries (the notification outbox) in one transaction, which also ends the
  // event's ring in the journal (on PostgreSQL, the door's own journal right after that commit: after a
  // crash in between, the next start finds the event by its key, event_key); returns the event's id. An
  // event stored
  // already (stored_as) is not written twice: its id is returned (the spool storing again after a commit
  // whose answer was lost).
  // `snapshot` is the JPEG the records keep (keeps_snapshots(); ignored otherwise).
  std::int64_t insert(const model::Event& event, std::span<const NewDelivery> deliveries = {},
                      std::span<const std::uint8_t> snapshot = {});
  // The same with deliveries as they stand (keys, states, attempts), e.g. tried while held in the spool.
  std::int64_t insert(const model::Event& event, std::span<const Delivery> deliveries,
                      std::span<const std::uint8_t> snapshot = {});
  // The id of `event` if it is stored: by its idempotency key, or — an event held before events had
  // one — by its first delivery's. Throws DatabaseError.
  std::optional<std::int64_t> stored_as(const model::Event& event, std::span<const Delivery> deliveries);
  // Reads go through a connection of their own (WAL: they never wait for a write, nor a write for them),
  // so a slow listing does not hold up the ring that is being stored.
  std::optional<model::Event> get(std::int64_t id);
  std::vector<model::Event> list(const EventQuery& query);  // newest first
  // The doors that have events in the records, by id, with the name each stored its last event under.
  std::vector<DoorSummary> doors();
  // The event's snapshot (JPEG), from the records or its file; nullopt when it has none, or it is gone.
  std::optional<std::vector<std::uint8_t>> snapshot(const model::Event& event);
  // Deletes the events older than `before` (ISO 8601; nullopt keeps all) with their snapshots and faces
  // (but for the faces of ignored visitors, kept without their event; visitor clusters left empty go), then
  // removes the oldest snapshots — their events stay, without a picture — until the rest fit in
  // max_snapshot_bytes (0: no limit). Rows change in one transaction; files, if any, go after it commits.
  // Events go in the order they were recorded, never by their time alone: a pass deletes every event up
  // to the newest one whose time is older than `before` and came from a clock that can be trusted, so a
  // clock set back or forward (a Pi's stale time before NTP) never removes a recent event.
  PruneResult prune(const std::optional<std::string>& before, std::int64_t max_snapshot_bytes);

 private:
  std::optional<std::int64_t> newest_older_than(const std::string& before);  // under mutex_, in a transaction
  std::optional<std::int64_t> stored(const model::Event& event,
                                     std::span<const Delivery> deliveries);  // mutex_

  const std::string door_;
  const std::string door_name_;
  std::mutex mutex_;  // writes
  Database db_;
  const bool keeps_snapshots_;
  std::optional<RingJournal> journal_;  // on PostgreSQL: the door's own ring journal, in doorbelld.db
  std::mutex reader_mutex_;             // get, list
  Database reader_;
};

}  // namespace doorbell::storage
