#pragma once
// Outbox: the durable notification queue — one `deliveries` row per event and channel, written with the
// event (EventStore::insert) before anything is sent, then taken, retried and finished here. Times are
// ISO 8601 UTC strings (they sort). Owns one connection behind a mutex: thread-safe.

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "doorbell/storage/database.hpp"

namespace doorbell::storage {

struct Delivery {
  std::int64_t id = 0;
  std::int64_t event_id = 0;
  std::string channel;
  std::string idempotency_key;  // sent with every attempt, so a receiver can drop duplicates
  std::string state;            // pending, delivered, failed or skipped
  int attempts = 0;
  std::string created_at;
  std::string next_attempt_at;
  std::string last_error;   // or why it was skipped
  std::string finished_at;  // delivered or failed
};

struct Backlog {
  std::int64_t pending = 0;
  std::string oldest_created_at;  // empty when nothing is pending
};

class Outbox {
 public:
  explicit Outbox(const std::filesystem::path& data_dir);

  // The pending delivery of `channel` that has waited longest among those due at `now`.
  std::optional<Delivery> next_due(const std::string& channel, const std::string& now);
  void delivered(std::int64_t id, int attempts, const std::string& now);
  void retry(std::int64_t id, int attempts, const std::string& next_attempt_at, const std::string& error);
  void failed(std::int64_t id, int attempts, const std::string& error, const std::string& now);
  std::vector<Delivery> for_event(std::int64_t event_id);
  std::map<std::string, Backlog> backlog();  // pending deliveries by channel

 private:
  std::mutex mutex_;
  Database db_;
};

nlohmann::json to_json(const Delivery& delivery);

}  // namespace doorbell::storage
