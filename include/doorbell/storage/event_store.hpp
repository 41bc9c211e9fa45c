#pragma once
// EventStore: every ring's outcome in SQLite (time, source, kind, one decision per face, names,
// distances, snapshot path, trace id, latency). Owns one connection behind a mutex: thread-safe.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "doorbell/storage/database.hpp"

namespace doorbell::storage {

struct EventRecord {
  std::int64_t id = 0;
  std::string time;    // ISO 8601 UTC, when the ring happened
  std::string source;  // http, gpio, presence
  std::string kind;    // blacklisted, known, unknown or no_face
  nlohmann::json faces =
      nlohmann::json::array();  // [{"result", "name", "distance", "box", "votes", "frames"}]
  std::vector<std::string> names;
  std::string snapshot_path;  // empty when there was no frame
  std::string trace_id;
  double latency_seconds = 0;
};

struct EventQuery {
  int limit = 50;
  std::optional<std::int64_t> before_id;  // paging: events older than this id
  std::optional<std::string> since;       // ISO 8601, inclusive
  std::optional<std::string> until;       // ISO 8601, exclusive
  std::optional<std::string> kind;
};

class EventStore {
 public:
  explicit EventStore(const std::filesystem::path& data_dir);

  std::int64_t insert(const EventRecord& event);  // returns the new id
  std::optional<EventRecord> get(std::int64_t id);
  std::vector<EventRecord> list(const EventQuery& query);  // newest first

 private:
  std::mutex mutex_;
  Database db_;
};

nlohmann::json to_json(const EventRecord& event);
std::string iso_time(std::chrono::system_clock::time_point t);

}  // namespace doorbell::storage
