// Timeline benchmark: pages of GET /api/events as EventStore::list serves them, from a database of
// 100,000 events over a year (1 % of them Dana, 0.2 % on the blacklist, the rest strangers and rings
// without a face): the newest page, a page deep in the past (paging by id), a rare kind, one person, a
// person never seen, one day, and a day for one person. Median and worst of 20 runs each, in ms, from this
// one run. Usage: doorbell-bench-timeline [EVENTS=100000]
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "doorbell/storage/event_store.hpp"

namespace {

using namespace doorbell;

// Fills the events table the store created, in one statement: event i is i minutes * 5.256 after
// 2026-01-01 (a year for 100,000), kind and names by its number.
void fill(const std::filesystem::path& db_file, long events) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_file.c_str(), &db) != SQLITE_OK) throw std::runtime_error("cannot open the database");
  const auto sql = fmt::format(R"(
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {0})
    INSERT INTO events (time, source, kind, faces, names, snapshot_path, trace_id, latency_seconds)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || (i * 525600 / {0}) || ' minutes'), 'gpio',
           CASE WHEN i % 500 = 0 THEN 'blacklisted' WHEN i % 100 = 0 THEN 'known'
                WHEN i % 3 = 0 THEN 'no_face' ELSE 'unknown' END,
           '[]',
           CASE WHEN i % 500 = 0 THEN '["Eve"]' WHEN i % 100 = 0 THEN '["Dana"]' ELSE '[]' END,
           '', '', 0.1
    FROM n)",
                               events);
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error != nullptr ? error : "?";
    sqlite3_free(error);
    sqlite3_close(db);
    throw std::runtime_error(message);
  }
  sqlite3_close(db);
}

struct Timing {
  double median_ms, worst_ms;
  std::size_t rows;
};

Timing time_query(storage::EventStore& store, const storage::EventQuery& q) {
  std::vector<double> ms;
  std::size_t rows = 0;
  for (int run = 0; run < 20; ++run) {
    const auto start = std::chrono::steady_clock::now();
    rows = store.list(q).size();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms.back(), rows};
}

}  // namespace

int main(int argc, char** argv) {
  const long events = argc > 1 ? std::atol(argv[1]) : 100000;
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("doorbell-timeline-{}", getpid());
  std::filesystem::create_directories(dir);
  try {
    { storage::EventStore schema(dir); }  // creates the database and its schema
    const auto filled = std::chrono::steady_clock::now();
    fill(dir / "doorbelld.db", events);
    fmt::print("{} events written in {:.1f} s\n\n", events,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - filled).count());
    storage::EventStore store(dir);
    const auto query = [](auto&& set) {
      storage::EventQuery q;
      q.limit = 20;
      set(q);
      return q;
    };
    const std::vector<std::pair<std::string, storage::EventQuery>> cases{
        {"newest page", query([](auto&) {})},
        {"page before id 500 (deep in the past)", query([](auto& q) { q.before_id = 500; })},
        {"kind=blacklisted (0.2 %)", query([](auto& q) { q.kind = model::EventKind::blacklisted; })},
        {"person=Dana (1 %)", query([](auto& q) { q.person = "Dana"; })},
        {"one day (2026-07-01)", query([](auto& q) {
           q.since = "2026-07-01";
           q.until = "2026-07-02";
         })},
        {"since 2026-01-01 (the whole year: counting stops at 5,001)",
         query([](auto& q) { q.since = "2026-01-01"; })},
        {"person=Nobody (no event: every row read)", query([](auto& q) { q.person = "Nobody"; })},
        {"one day early in the year (2026-01-15)", query([](auto& q) {
           q.since = "2026-01-15";
           q.until = "2026-01-16";
         })},
        {"one day, person=Dana", query([](auto& q) {
           q.since = "2026-07-01";
           q.until = "2026-07-02";
           q.person = "Dana";
         })},
    };
    fmt::print("| {} events, a page of 20 | median ms | worst ms | rows |\n|---|---|---|---|\n", events);
    for (const auto& [name, q] : cases) {
      const auto t = time_query(store, q);
      fmt::print("| {} | {:.2f} | {:.2f} | {} |\n", name, t.median_ms, t.worst_ms, t.rows);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "doorbell-bench-timeline: {}\n", e.what());
    std::filesystem::remove_all(dir);
    return 1;
  }
  std::filesystem::remove_all(dir);
  return 0;
}
