#pragma once
// Dispatcher: the thread of one channel. It takes the channel's due deliveries — first of events held in
// the spool (not stored yet), then from the outbox, oldest first — sends each with its event and
// snapshot, and records the outcome where the delivery lives: delivered; retried after an
// exponential backoff with jitter (notify.retry_initial_seconds doubling up to retry_max_seconds); or
// failed when the error cannot be helped by retrying or the event is older than notify.give_up_hours.
// Both intervals run on the monotonic clock (DeliveryTimes), not on a wall clock that NTP may move; both
// clocks are the `clock` it is given.
// Every outcome is logged and counted, and every attempt is a notify.<channel> span in the ring's trace.
// wake() is thread-safe; start()/stop() and work_once() from one thread.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <random>
#include <stop_token>

#include "delivery_times.hpp"
#include "doorbell/common/health.hpp"
#include "doorbell/common/worker.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/notify/channel.hpp"
#include "doorbell/observability/tracer.hpp"
#include "doorbell/storage/event_spool.hpp"
#include "doorbell/storage/outbox.hpp"
#include "doorbell/storage/storage_health.hpp"
#include "notify_metrics.hpp"

namespace doorbell::notify {

class Dispatcher {
 public:
  static constexpr int kPendingScan = 1000;  // pending deliveries looked at for a due one, oldest first

  // `storage` (may be null) hears whether the outbox could be read and written; `spool` (may be null)
  // holds events that could not be stored.
  Dispatcher(std::unique_ptr<Channel> channel, const NotifyConfig& config, storage::Outbox& outbox,
             storage::EventStore& events, ChannelMetrics& metrics, Component& component, const Tracer& tracer,
             const Clock& clock, storage::StorageHealth* storage = nullptr,
             storage::EventSpool* spool = nullptr);
  ~Dispatcher();

  void start();
  void stop();  // an attempt in progress finishes; what is left stays in the outbox
  void wake();  // a new delivery is waiting
  // One pass on the caller's thread: every due delivery — held ones first, between the outbox's too — until
  // none is due, or `stop` is requested; what the thread does after each wake and every second. Not while
  // the thread runs.
  void work_once(Component& self, std::stop_token stop = {});

 private:
  void run(std::stop_token stop, Component& self);
  void send_held();                                        // every due delivery of events in the spool
  std::optional<storage::Delivery> next_stored_due();      // the outbox's first due delivery, if any
  void attempt_stored(const storage::Delivery& delivery);  // a delivery of the outbox
  void attempt(const storage::Delivery& delivery, const model::Event& event,
               std::span<const std::uint8_t> snapshot, storage::DeliveryLedger& ledger);
  // `what`: the event, as the log names it.
  void give_up(const storage::Delivery& delivery, const std::string& what, int attempts,
               const std::string& why, storage::DeliveryLedger& ledger);
  std::chrono::duration<double> backoff(int attempts);

  std::unique_ptr<Channel> channel_;
  const NotifyConfig& config_;
  const std::string public_url_;
  storage::Outbox& outbox_;
  storage::EventStore& events_;
  ChannelMetrics& metrics_;
  Component& component_;
  const Tracer& tracer_;
  storage::StorageHealth* storage_;
  storage::EventSpool* spool_;
  const Clock& clock_;
  DeliveryTimes times_;  // the dispatcher's thread only
  std::mt19937 jitter_{std::random_device{}()};
  std::mutex mutex_;
  std::condition_variable_any wake_cv_;
  bool woken_ = false;              // guarded by mutex_
  std::unique_ptr<Worker> worker_;  // last: stops before the rest goes
};

}  // namespace doorbell::notify
