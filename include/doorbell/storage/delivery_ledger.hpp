#pragma once
// DeliveryLedger: where a dispatcher records the outcome of one delivery attempt — the outbox for events
// in the database, the spool for events waiting for storage. Implementations are thread-safe.

#include <cstdint>
#include <string>

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

class DeliveryLedger {
 public:
  virtual ~DeliveryLedger() = default;
  virtual void delivered(std::int64_t id, int attempts, const std::string& now) = 0;
  virtual void retry(std::int64_t id, int attempts, const std::string& next_attempt_at,
                     const std::string& error) = 0;
  virtual void failed(std::int64_t id, int attempts, const std::string& error, const std::string& now) = 0;
};

}  // namespace doorbell::storage
