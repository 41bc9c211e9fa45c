#pragma once
// EventSpool: events whose decision could not be stored (a full disk, a read-only or broken database),
// held in memory — with their planned deliveries and snapshot — so that a ring, once accepted, is never
// lost: the dispatchers notify from here as from the outbox (take_due, then the DeliveryLedger calls),
// and a worker stores every held event once storage takes writes again, with its deliveries as they
// stand (a delivered notification is not sent twice) and its snapshot written (or, when the records keep
// snapshots, stored with it) then. With the records in
// a shared PostgreSQL database, held events are also kept on the door's own disk (SpoolFile) and held
// again when the daemon starts: a door restarted during an outage loses none. At most
// storage.spool_events are held; one more, or any left at shutdown only in memory, is logged and counted
// as lost. Thread-safe.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include "doorbell/common/health.hpp"
#include "doorbell/common/worker.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/storage/delivery_ledger.hpp"
#include "doorbell/storage/event_store.hpp"
#include "doorbell/storage/spool_file.hpp"
#include "doorbell/storage/storage_health.hpp"

namespace doorbell::storage {

// A held event's delivery that is due, taken by one dispatcher until it records the outcome.
struct SpooledNotice {
  Delivery delivery;
  model::Event event;  // id 0: not stored yet
  std::shared_ptr<const std::vector<std::uint8_t>> snapshot;
};

class EventSpool : public DeliveryLedger {
 public:
  EventSpool(const StorageConfig& config, EventStore& events, StorageHealth& health,
             prometheus::Registry& registry);
  ~EventSpool() override;

  // Holds `event` with its snapshot's bytes; `snapshot_file` is where they are written when the event is
  // stored and its snapshot_path names no file (unless the records keep snapshots: then they are stored
  // with the event). False when the spool is full: the event is lost (logged, counted).
  bool hold(model::Event event, std::vector<Delivery> deliveries, std::vector<std::uint8_t> snapshot,
            std::filesystem::path snapshot_file);
  // The first pending delivery of `channel` that no dispatcher has taken and `due` accepts.
  std::optional<SpooledNotice> take_due(const std::string& channel,
                                        const std::function<bool(const Delivery&)>& due);
  void delivered(std::int64_t id, int attempts, const std::string& now) override;
  void retry(std::int64_t id, int attempts, const std::string& next_attempt_at,
             const std::string& error) override;
  void failed(std::int64_t id, int attempts, const std::string& error, const std::string& now) override;

  // Stores every held event no dispatcher is sending right now; returns how many are still held.
  std::size_t flush();
  std::size_t size() const;
  // Whether a held event ends the RingJournal ring `ring_id` (held from before a restart: not interrupted).
  bool holds_ring(std::int64_t ring_id) const;

  // A worker flushes every second while events are held and calls `stored` after storing any.
  void start(Component& component, std::function<void()> stored);
  // Flushes one last time; what is still held is logged and counted as lost.
  void stop();

 private:
  struct Held;
  void update(std::int64_t id, const std::function<void(Delivery&)>& change);
  void load();  // the held events of the spool file, from before a restart
  bool stored_before(const SpooledEvent& held);

  const StorageConfig& config_;
  EventStore& events_;
  StorageHealth& health_;
  prometheus::Gauge& held_gauge_;
  prometheus::Counter& spooled_;
  prometheus::Family<prometheus::Counter>& lost_;
  mutable std::mutex mutex_;
  std::list<Held> held_;             // guarded by mutex_, oldest first
  std::int64_t next_id_ = 1;         // guarded by mutex_: ids of held deliveries
  std::unique_ptr<SpoolFile> file_;  // with a shared database only (thread-safe itself)
  std::unique_ptr<Worker> worker_;   // last: stops before the rest goes
};

}  // namespace doorbell::storage
