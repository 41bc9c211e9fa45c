#include "doorbell/storage/event_store.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <ctime>

#include "doorbell/common/hex.hpp"
#include "doorbell/model/time_text.hpp"
#include "doorbell/storage/atomic_file.hpp"
#include "doorbell/storage/descriptor_blob.hpp"
#include "doorbell/storage/face_outcome_json.hpp"
#include "doorbell/storage/visitor_store.hpp"

namespace doorbell::storage {
namespace {

// Events in a time range below which a listing reads the range from the time index and sorts it.
constexpr std::int64_t kNarrowRange = 5000;

constexpr std::string_view kEventColumns =
    "id, time, source, kind, faces, names, snapshot_path, trace_id, latency_seconds, snapshot_bytes, "
    "span_id, clock_synced, door, idempotency_key FROM events";

model::Event read_event(const Statement& s) {
  model::Event e;
  e.id = s.integer(0);
  e.time = s.text(1);
  e.source = s.text(2);
  e.kind = model::parse_event_kind(s.text(3)).value_or(model::EventKind::unknown);
  e.faces = faces_from_json(nlohmann::json::parse(s.text(4)));
  e.names = nlohmann::json::parse(s.text(5)).get<std::vector<std::string>>();
  e.snapshot_path = s.text(6);
  e.trace_id = s.text(7);
  e.latency_seconds = s.real(8);
  e.snapshot_bytes = s.integer(9);
  e.span_id = s.text(10);
  e.clock_synced = s.integer(11) != 0;
  e.door = s.text(12);
  e.idempotency_key = s.text(13);
  return e;
}

// Removes a snapshot file and its day directory once that is empty; false (logged) when it cannot.
bool remove_snapshot(const std::filesystem::path& file) {
  std::error_code error;
  std::filesystem::remove(file, error);
  if (error) {
    spdlog::warn("retention: cannot remove {}: {}", file.string(), error.message());
    return false;
  }
  std::filesystem::remove(file.parent_path(), error);  // fails, harmlessly, while the day has others
  return true;
}

}  // namespace

EventStore::EventStore(const Location& where, std::string door, std::string door_name)
    : door_(std::move(door)),
      door_name_(std::move(door_name)),
      db_(open_records(where, Durability::power_cut)),
      keeps_snapshots_(db_.dialect() == Dialect::postgres),
      reader_(open_records(where, Durability::power_cut)) {
  if (db_.dialect() != Dialect::sqlite) journal_.emplace(where.data_dir);
}

std::string event_key(const std::string& door, std::int64_t ring_id, const std::string& time) {
  return ring_id == 0 ? random_hex(16) : fmt::format("ring:{}:{}:{}", door, ring_id, time);
}

std::vector<Delivery> new_deliveries(std::span<const NewDelivery> planned, const std::string& now) {
  std::vector<Delivery> out;
  out.reserve(planned.size());
  for (const auto& p : planned) {
    const bool skipped = !p.skipped_because.empty();
    Delivery d;
    d.channel = p.channel;
    d.idempotency_key = random_hex(16);
    d.state = skipped ? "skipped" : "pending";
    d.created_at = now;
    d.next_attempt_at = now;
    d.last_error = p.skipped_because;
    d.finished_at = skipped ? now : "";
    out.push_back(std::move(d));
  }
  return out;
}

std::int64_t EventStore::insert(const model::Event& e, std::span<const NewDelivery> deliveries,
                                std::span<const std::uint8_t> snapshot) {
  const auto planned = new_deliveries(deliveries, model::iso_time(std::chrono::system_clock::now()));
  return insert(e, std::span<const Delivery>(planned), snapshot);
}

std::optional<std::int64_t> EventStore::stored_as(const model::Event& e,
                                                  std::span<const Delivery> deliveries) {
  std::lock_guard lock(mutex_);
  return stored(e, deliveries);
}

std::optional<std::int64_t> EventStore::stored(const model::Event& e, std::span<const Delivery> deliveries) {
  if (e.idempotency_key.empty() && deliveries.empty()) return std::nullopt;
  auto found = e.idempotency_key.empty()
                   ? db_.prepare("SELECT event_id FROM deliveries WHERE idempotency_key = ?")
                   // `!= ''` lets SQLite use the partial unique index
                   : db_.prepare("SELECT id FROM events WHERE idempotency_key = ? AND idempotency_key != ''");
  found.bind(1, e.idempotency_key.empty() ? deliveries.front().idempotency_key : e.idempotency_key);
  if (!found.step()) return std::nullopt;
  return found.integer(0);
}

std::int64_t EventStore::insert(const model::Event& e, std::span<const Delivery> deliveries,
                                std::span<const std::uint8_t> snapshot) {
  std::lock_guard lock(mutex_);
  std::int64_t id = 0;
  db_.transaction([&] {
    // Stored already (its commit went through, the answer did not): the same event, not a second one.
    if (const auto before = stored(e, deliveries)) {
      id = *before;
      return;
    }
    auto row = db_.prepare(fmt::format(
        "INSERT INTO events (time, source, kind, faces, names, snapshot_path, trace_id, latency_seconds, "
        "snapshot_bytes, span_id, clock_synced, door, idempotency_key{}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, "
        "?, ?, ?{}) RETURNING id",
        keeps_snapshots_ ? ", snapshot" : "", keeps_snapshots_ ? ", ?" : ""));
    const bool pictured = !keeps_snapshots_ || !snapshot.empty();  // a name without bytes is no picture
    row.bind(13, e.idempotency_key.empty() ? random_hex(16) : e.idempotency_key);
    if (keeps_snapshots_) row.bind(14, snapshot);
    id = row.bind(1, e.time)
             .bind(2, e.source)
             .bind(3, model::to_string(e.kind))
             .bind(4, faces_json(e.faces).dump())
             .bind(5, nlohmann::json(e.names).dump())
             .bind(6, pictured ? e.snapshot_path : std::string())
             .bind(7, e.trace_id)
             .bind(8, e.latency_seconds)
             .bind(9, keeps_snapshots_ ? static_cast<std::int64_t>(snapshot.size()) : e.snapshot_bytes)
             .bind(10, e.span_id)
             .bind(11, static_cast<std::int64_t>(e.clock_synced))
             .bind(12, e.door)
             .returning_id();
    if (e.ring_id != 0 && !journal_) db_.prepare("DELETE FROM rings WHERE id = ?").bind(1, e.ring_id).run();
    // The door in the list of doors, under the name it has now (a row written only when that changes).
    if (!e.door.empty())
      db_.prepare(
             "INSERT INTO doors (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name "
             "WHERE doors.name != excluded.name AND excluded.name != ''")
          .bind(1, e.door)
          .bind(2, door_.empty() || e.door == door_ ? door_name_ : std::string())
          .run();
    for (const auto& f : e.described) {
      // A person or visitor removed since the face was matched leaves it without one, never unstored.
      db_.prepare(
             "INSERT INTO event_faces (event_id, position, descriptor, sharpness, width_px, crop, person_id, "
             "visitor_id) VALUES (?, ?, ?, ?, ?, ?, (SELECT id FROM people WHERE id = ?), (SELECT id FROM "
             "visitors WHERE id = ?))")
          .bind(1, id)
          .bind(2, static_cast<std::int64_t>(f.position))
          .bind(3, descriptor_bytes(f.descriptor))
          .bind(4, f.sharpness)
          .bind(5, f.width_px)
          .bind(6, std::span<const std::uint8_t>(f.crop))
          .bind(7, f.person_id)
          .bind(8, f.visitor_id)
          .run();
    }
    for (const auto& d : deliveries) {
      db_.prepare(
             "INSERT INTO deliveries (event_id, channel, idempotency_key, state, attempts, created_at, "
             "next_attempt_at, last_error, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .bind(1, id)
          .bind(2, d.channel)
          .bind(3, d.idempotency_key)
          .bind(4, d.state)
          .bind(5, static_cast<std::int64_t>(d.attempts))
          .bind(6, d.created_at)
          .bind(7, d.next_attempt_at)
          .bind(8, d.last_error)
          .bind(9, d.finished_at)
          .run();
    }
  });
  if (e.ring_id != 0 && journal_) {
    try {
      journal_->forget(e.ring_id);
    } catch (const DatabaseError& error) {  // the event is stored: the next start records the ring again
      spdlog::error("ring {} stored as event {}, but still in the ring journal: {}", e.ring_id, id,
                    error.what());
    }
  }
  return id;
}

std::optional<model::Event> EventStore::get(std::int64_t id) {
  std::lock_guard lock(reader_mutex_);
  auto stmt = reader_.prepare(fmt::format("SELECT {} WHERE id = ?", kEventColumns));
  stmt.bind(1, id);
  if (!stmt.step()) return std::nullopt;
  return read_event(stmt);
}

std::optional<std::vector<std::uint8_t>> EventStore::snapshot(const model::Event& e) {
  if (e.snapshot_path.empty()) return std::nullopt;
  if (keeps_snapshots_) {
    std::lock_guard lock(reader_mutex_);
    auto row = reader_.prepare("SELECT snapshot FROM events WHERE id = ? AND snapshot IS NOT NULL");
    row.bind(1, e.id);
    if (row.step()) return std::vector<std::uint8_t>(row.blob(0).begin(), row.blob(0).end());
    // Taken before the records kept snapshots: a file on the disk of the door that took it.
    if (!std::filesystem::path(e.snapshot_path).is_absolute()) return std::nullopt;
  }
  return read_whole_file(e.snapshot_path);
}

std::vector<DoorSummary> EventStore::doors() {
  std::lock_guard lock(reader_mutex_);
  auto stmt = reader_.prepare("SELECT id, name FROM doors ORDER BY id");
  std::vector<DoorSummary> out;
  while (stmt.step()) out.push_back({stmt.text(0), stmt.text(1)});
  return out;
}

std::vector<model::Event> EventStore::list(const EventQuery& q) {
  std::lock_guard lock(reader_mutex_);
  const auto since = q.since.value_or("");
  const auto until = q.until.value_or("9999");
  // Newest first is a walk down the ids, which finds a page at once unless the time range is narrow and
  // far back (a day in January: most rows read first); then the rows of the range come from the time
  // index and are sorted instead (100,000 events: 12 -> 0.6 ms; bench/timeline_bench.cpp).
  bool narrow = false;
  if (q.since || q.until) {
    auto count = reader_.prepare(
        fmt::format("SELECT count(*) FROM (SELECT 1 FROM events WHERE time >= ? AND time < ? LIMIT {}) AS r",
                    kNarrowRange + 1));
    count.bind(1, since).bind(2, until).step();
    narrow = count.integer(0) <= kNarrowRange;
  }
  // Unused filters bind to values that match everything, so one statement serves every query.
  const bool sqlite = reader_.dialect() == Dialect::sqlite;
  auto stmt = reader_.prepare(fmt::format(
      "SELECT {} {} WHERE id < ? AND time >= ? AND time < ? AND (? = '' OR kind = ?) AND (? = '' OR EXISTS "
      "(SELECT 1 FROM {})) AND (? = 0 OR id IN (SELECT event_id FROM event_faces WHERE visitor_id = ?)) "
      "AND (? = '' OR door = ?) ORDER BY id DESC LIMIT ?",
      kEventColumns, narrow && sqlite ? "INDEXED BY events_time" : "",
      sqlite ? "json_each(names) WHERE value = ? COLLATE NOCASE"
             : "jsonb_array_elements_text(names::jsonb) AS n (value) WHERE lower(value) = lower(?)"));
  stmt.bind(1, q.before_id.value_or(std::numeric_limits<std::int64_t>::max()))
      .bind(2, since)
      .bind(3, until)
      .bind(4, q.kind ? model::to_string(*q.kind) : "")
      .bind(5, q.kind ? model::to_string(*q.kind) : "")
      .bind(6, q.person.value_or(""))
      .bind(7, q.person.value_or(""))
      .bind(8, q.visitor.value_or(0))
      .bind(9, q.visitor.value_or(0))
      .bind(10, q.door.value_or(""))
      .bind(11, q.door.value_or(""))
      .bind(12, static_cast<std::int64_t>(q.limit));
  std::vector<model::Event> out;
  while (stmt.step()) out.push_back(read_event(stmt));
  return out;
}

std::optional<std::int64_t> EventStore::newest_older_than(const std::string& before) {
  // A time from an unsynchronised clock is a witness only when no synchronised one came after it (a host
  // without NTP at all); otherwise it may be far off, e.g. a Pi's stale time at boot.
  auto stmt = db_.prepare(
      "SELECT id FROM events WHERE time < ? AND (? = '' OR door = ?) AND (clock_synced = 1 OR id > "
      "coalesce((SELECT id FROM events WHERE clock_synced = 1 AND (? = '' OR door = ?) ORDER BY id DESC "
      "LIMIT 1), 0)) ORDER BY id DESC LIMIT 1");
  stmt.bind(1, before).bind(2, door_).bind(3, door_).bind(4, door_).bind(5, door_);
  if (!stmt.step()) return std::nullopt;
  return stmt.integer(0);
}

PruneResult EventStore::prune(const std::optional<std::string>& before, std::int64_t max_snapshot_bytes) {
  PruneResult result;
  std::vector<std::string> files;
  // A snapshot the records keep goes with its row; a file (on PostgreSQL: one taken before the records
  // kept snapshots) goes once the rows are committed.
  const auto forget = [&](std::string file) {
    if (keeps_snapshots_ && !std::filesystem::path(file).is_absolute()) {
      ++result.snapshots;
    } else {
      files.push_back(std::move(file));
    }
  };
  {
    std::lock_guard lock(mutex_);
    db_.transaction([&] {
      if (const auto last = before ? newest_older_than(*before) : std::nullopt) {
        auto old = db_.prepare(
            "SELECT snapshot_path, snapshot_bytes FROM events WHERE id <= ? AND (? = '' OR door = ?)");
        old.bind(1, *last).bind(2, door_).bind(3, door_);
        while (old.step()) {
          if (old.text(0).empty()) continue;
          forget(old.text(0));
          result.bytes_freed += old.integer(1);
        }
        db_.prepare("DELETE FROM events WHERE id <= ? AND (? = '' OR door = ?)")
            .bind(1, *last)
            .bind(2, door_)
            .bind(3, door_)
            .run();
        result.events = db_.changes();
        db_.exec(
            "DELETE FROM event_faces WHERE event_id IS NULL AND (visitor_id IS NULL OR visitor_id NOT IN "
            "(SELECT id FROM visitors WHERE ignored = 1))");
        drop_empty_clusters(db_);
      }
      auto total = db_.prepare(
          "SELECT coalesce(sum(snapshot_bytes), 0) FROM events WHERE snapshot_path != '' AND (? = '' OR door "
          "= ?)");
      total.bind(1, door_).bind(2, door_).step();
      result.snapshot_bytes = total.integer(0);
      if (max_snapshot_bytes <= 0 || result.snapshot_bytes <= max_snapshot_bytes) return;
      auto oldest = db_.prepare(
          "SELECT id, snapshot_path, snapshot_bytes FROM events WHERE snapshot_path != '' AND (? = '' OR "
          "door = "
          "?) ORDER BY id");
      oldest.bind(1, door_).bind(2, door_);
      auto clear = db_.prepare(fmt::format(
          "UPDATE events SET snapshot_path = '', snapshot_bytes = 0{} WHERE id <= ? AND (? = '' OR door = ?)",
          keeps_snapshots_ ? ", snapshot = NULL" : ""));
      std::int64_t last_id = 0;
      while (result.snapshot_bytes > max_snapshot_bytes && oldest.step()) {
        last_id = oldest.integer(0);
        forget(oldest.text(1));
        result.bytes_freed += oldest.integer(2);
        result.snapshot_bytes -= oldest.integer(2);
      }
      clear.bind(1, last_id).bind(2, door_).bind(3, door_).run();
    });
  }
  for (const auto& file : files) {
    if (remove_snapshot(file)) {
      ++result.snapshots;
    } else {
      ++result.file_errors;
    }
  }
  return result;
}

}  // namespace doorbell::storage
