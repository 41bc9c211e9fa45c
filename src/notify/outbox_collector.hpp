#pragma once
// OutboxCollector: the notification backlog read from the outbox at scrape time — pending deliveries
// and the age of the oldest, per configured channel (0 when nothing waits). Internal to src/notify.
// Thread-safe.

#include <prometheus/collectable.h>

#include <string>
#include <vector>

#include "doorbell/storage/outbox.hpp"

namespace doorbell::notify {

class OutboxCollector final : public prometheus::Collectable {
 public:
  OutboxCollector(storage::Outbox& outbox, std::vector<std::string> channels);
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  storage::Outbox& outbox_;
  const std::vector<std::string> channels_;
};

}  // namespace doorbell::notify
