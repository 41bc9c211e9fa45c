#pragma once
// Notifications: the notification stage. Builds the configured channels (webhook, ntfy, Telegram, MQTT),
// plans each event's deliveries through the NotificationPolicy (written to the outbox with the event),
// runs one Dispatcher per channel and exports the outbox backlog. plan() and decided() are thread-safe;
// start()/stop() from one thread.

#include <prometheus/registry.h>

#include <memory>
#include <vector>

#include "doorbell/common/clock.hpp"
#include "doorbell/common/health.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/notify/policy.hpp"
#include "doorbell/observability/metrics.hpp"
#include "doorbell/observability/tracer.hpp"
#include "doorbell/storage/event_spool.hpp"
#include "doorbell/storage/event_store.hpp"
#include "doorbell/storage/outbox.hpp"
#include "doorbell/storage/storage_health.hpp"

namespace doorbell::notify {

class Dispatcher;
struct ChannelMetrics;

class Notifications {
 public:
  // Throws std::runtime_error when a channel cannot be set up (its configuration was checked at load).
  // `rules` (the household's, optional) outlives this.
  Notifications(const Config& config, storage::EventStore& events, storage::Outbox& outbox,
                storage::StorageHealth& storage, storage::EventSpool& spool, HealthRegistry& health,
                Metrics& metrics, const Tracer& tracer, const Clock& clock, RuleBook* rules = nullptr);
  ~Notifications();

  // The deliveries to store with `event` (pending or skipped by policy; counted when skipped).
  std::vector<storage::NewDelivery> plan(const model::Event& event);
  const std::vector<std::string>& channels() const noexcept { return channels_; }  // their names
  void decided(const model::Event& event);  // stored or held in the spool: its deliveries may go
  void wake();                              // deliveries are waiting (e.g. moved from the spool)
  void start();
  void stop();

 private:
  struct Lane;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::unique_ptr<NotificationPolicy> policy_;
  std::vector<std::string> channels_;
};

}  // namespace doorbell::notify
