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
#include "doorbell/storage/delivery_ledger.hpp"
#include "doorbell/storage/location.hpp"

namespace doorbell::storage {

struct Backlog {
  std::int64_t pending = 0;
  std::string oldest_created_at;  // empty when nothing is pending
};

class Outbox : public DeliveryLedger {
 public:
  // `door` (door.id), when several doors share the records: pending() lists that door's deliveries only,
  // so each event is sent by the door that recorded it. Empty: every delivery.
  explicit Outbox(const Location& where, std::string door = {});

  // Up to `limit` pending deliveries of `channel`, the earliest next_attempt_at first (the dispatcher
  // decides which are due: DeliveryTimes).
  std::vector<Delivery> pending(const std::string& channel, int limit);
  void delivered(std::int64_t id, int attempts, const std::string& now) override;
  void retry(std::int64_t id, int attempts, const std::string& next_attempt_at,
             const std::string& error) override;
  void failed(std::int64_t id, int attempts, const std::string& error, const std::string& now) override;
  std::vector<Delivery> for_event(std::int64_t event_id);
  std::map<std::string, Backlog> backlog();  // pending deliveries by channel

 private:
  const std::string door_;
  std::mutex mutex_;
  Database db_;
};

nlohmann::json to_json(const Delivery& delivery);

}  // namespace doorbell::storage
