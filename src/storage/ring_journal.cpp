#include "doorbell/storage/ring_journal.hpp"

#include "doorbell/storage/database_file.hpp"
#include "doorbell/storage/schema.hpp"

namespace doorbell::storage {

RingJournal::RingJournal(const std::filesystem::path& data_dir)
    : db_(database_file(data_dir), schema_migrations(), Durability::power_cut) {}

std::int64_t RingJournal::record(const JournaledRing& ring) {
  std::lock_guard lock(mutex_);
  return db_
      .prepare(
          "INSERT INTO rings (time, source, trace_id, span_id, clock_synced) VALUES (?, ?, ?, ?, ?) "
          "RETURNING id")
      .bind(1, ring.time)
      .bind(2, ring.source)
      .bind(3, ring.trace_id)
      .bind(4, ring.span_id)
      .bind(5, static_cast<std::int64_t>(ring.clock_synced))
      .returning_id();
}

void RingJournal::forget(std::int64_t id) {
  std::lock_guard lock(mutex_);
  db_.prepare("DELETE FROM rings WHERE id = ?").bind(1, id).run();
}

std::vector<JournaledRing> RingJournal::unfinished() {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("SELECT id, time, source, trace_id, span_id, clock_synced FROM rings ORDER BY id");
  std::vector<JournaledRing> out;
  while (stmt.step()) {
    out.push_back(
        {stmt.integer(0), stmt.text(1), stmt.text(2), stmt.text(3), stmt.text(4), stmt.integer(5) != 0});
  }
  return out;
}

}  // namespace doorbell::storage
