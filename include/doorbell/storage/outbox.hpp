#pragma once
// Outbox: the durable notification queue — one `deliveries` row per event and channel, written with the
// event (EventStore::insert) before anything is sent, then taken, retried and finished here. Times are
// ISO 8601 UTC strings (they sort). Owns one connection behind a mutex: thread-safe.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "doorbell/storage/database.hpp"
#include "doorbell/storage/delivery_ledger.hpp"
#include "doorbell/storage/location.hpp"

namespace doorbell::storage {

struct Backlog {
  std::int64_t pending = 0;
  std::string oldest_created_at;  // empty when nothing is pending
};

class Outbox : public DeliveryLedger {
 public:
  // `door`: this door's id (door.id). A door claims a delivery before each attempt and holds the claim
  // for `lease` past it (past the next attempt when it must retry), so that no two doors send it at once.
  explicit Outbox(const Location& where, std::string door = {},
                  std::chrono::seconds lease = std::chrono::seconds(30));

  // Up to `limit` pending deliveries of `channel`, the earliest next_attempt_at first (the dispatcher
  // decides which are due: DeliveryTimes). On a database doors share: this door's, and those another
  // door left — not claimed `lease` after they were made, or their claim run out: a door that died.
  std::vector<Delivery> pending(const std::string& channel, int limit);
  // Takes delivery `id` for this door until `lease` after `now`: false when another door holds it (or it
  // is no longer pending). Two doors claiming at once: one wins (a compare-and-set on the row).
  bool claim(std::int64_t id, std::chrono::system_clock::time_point now);
  void delivered(std::int64_t id, int attempts, const std::string& now) override;
  void retry(std::int64_t id, int attempts, const std::string& next_attempt_at,
             const std::string& error) override;
  void failed(std::int64_t id, int attempts, const std::string& error, const std::string& now) override;
  std::vector<Delivery> for_event(std::int64_t event_id);
  std::map<std::string, Backlog> backlog();  // pending deliveries by channel

 private:
  const std::string door_;
  const std::chrono::seconds lease_;
  std::mutex mutex_;
  Database db_;
};

nlohmann::json to_json(const Delivery& delivery);

}  // namespace doorbell::storage
