#include "dispatcher.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <optional>

#include "doorbell/model/time_text.hpp"

namespace doorbell::notify {
namespace {

std::string trimmed(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

Dispatcher::Dispatcher(std::unique_ptr<Channel> channel, const NotifyConfig& config, storage::Outbox& outbox,
                       storage::EventStore& events, ChannelMetrics& metrics, Component& component,
                       const Tracer& tracer, const Clock& clock, storage::StorageHealth* storage,
                       storage::EventSpool* spool)
    : channel_(std::move(channel)),
      config_(config),
      public_url_(trimmed(config.public_url)),
      outbox_(outbox),
      events_(events),
      metrics_(metrics),
      component_(component),
      tracer_(tracer),
      storage_(storage),
      spool_(spool),
      clock_(clock),
      times_(clock, config.retry_max_seconds) {}

Dispatcher::~Dispatcher() {
  stop();
}

void Dispatcher::start() {
  worker_ = std::make_unique<Worker>(component_,
                                     [this](std::stop_token stop, Component& self) { run(stop, self); });
}

void Dispatcher::stop() {
  stop_worker(worker_);
}

void Dispatcher::wake() {
  std::lock_guard lock(mutex_);
  woken_ = true;
  wake_cv_.notify_all();
}

void Dispatcher::run(std::stop_token stop, Component& self) {
  self.set_ready();
  while (!stop.stop_requested()) {
    self.beat();
    work_once(self, stop);
    std::unique_lock lock(mutex_);
    wake_cv_.wait_for(lock, stop, std::chrono::seconds(1), [this] { return woken_; });
    woken_ = false;
  }
}

void Dispatcher::work_once(Component& self, std::stop_token stop) {
  send_held();
  try {
    while (!stop.stop_requested()) {
      const auto due = next_stored_due();
      if (!due) break;
      attempt_stored(*due);
      self.beat();
      send_held();  // a ring held while the outbox is worked through goes first
    }
    if (storage_) storage_->succeeded(storage::StoredItem::delivery);
  } catch (const std::exception& e) {  // the database itself failed: try again shortly
    spdlog::error("{}: outbox unavailable: {}", channel_->name(), e.what());
    if (storage_) storage_->failed(storage::StoredItem::delivery, e.what());
  }
}

std::chrono::duration<double> Dispatcher::backoff(int attempts) {
  const Seconds full = std::min(config_.retry_max_seconds,
                                config_.retry_initial_seconds * std::pow(2.0, std::max(0, attempts - 1)));
  return full * std::uniform_real_distribution<double>(0.5, 1.0)(jitter_);
}

void Dispatcher::send_held() {
  if (spool_ == nullptr) return;
  const auto due = [this](const storage::Delivery& d) { return times_.due(d, clock_.wall_now()); };
  while (auto held = spool_->take_due(channel_->name(), due)) {
    attempt(held->delivery, held->event, *held->snapshot, *spool_);
  }
}

std::optional<storage::Delivery> Dispatcher::next_stored_due() {
  const auto now = clock_.wall_now();
  for (auto& d : outbox_.pending(channel_->name(), kPendingScan)) {
    // Another door sharing the records may be sending it: then it is theirs.
    if (times_.due(d, now) && outbox_.claim(d.id, now)) return std::move(d);
  }
  return std::nullopt;
}

void Dispatcher::attempt_stored(const storage::Delivery& d) {
  const auto event = events_.get(d.event_id);
  if (!event) {
    times_.tried(d, false, clock_.wall_now());
    give_up(d, fmt::format("event {}", d.event_id), d.attempts + 1,
            "the event was deleted before it could be sent", outbox_);
    return;
  }
  attempt(d, *event, events_.snapshot(*event).value_or(std::vector<std::uint8_t>()),
          outbox_);  // none: pruned
}

void Dispatcher::attempt(const storage::Delivery& d, const model::Event& event,
                         std::span<const std::uint8_t> snapshot, storage::DeliveryLedger& ledger) {
  const int attempts = d.attempts + 1;
  times_.tried(d, event.clock_synced, clock_.wall_now());
  const auto what = event.id != 0 ? fmt::format("event {}", event.id)
                                  : fmt::format("the ring at {} (held until storage returns)", event.time);
  const bool linked = !public_url_.empty() && event.id != 0;  // a held ring has no page yet
  const auto url = linked && !snapshot.empty()
                       ? fmt::format("{}/api/events/{}/snapshot.jpg", public_url_, event.id)
                       : std::string();
  const auto page = linked ? fmt::format("{}/#/events/{}", public_url_, event.id) : std::string();
  auto span = tracer_.start(std::string("notify.") + channel_->name(), SpanKind::client,
                            context_from_hex(event.trace_id, event.span_id, true));
  span.set("doorbell.event.id", event.id)
      .set("doorbell.notify.channel", std::string(channel_->name()))
      .set("doorbell.notify.attempt", static_cast<std::int64_t>(attempts));
  const auto start = clock_.now();
  std::optional<DeliveryError> error;
  try {
    channel_->send({event, snapshot, url, page, d.idempotency_key,
                    span.context().valid() ? format_traceparent(span.context()) : std::string()});
  } catch (const DeliveryError& e) {
    error = e;
  } catch (const std::exception& e) {  // a bug, not the receiver: retrying would fail the same way
    error = DeliveryError(fmt::format("could not be sent: {}", e.what()), false);
  }
  metrics_.attempt_seconds.Observe(std::chrono::duration<double>(clock_.now() - start).count());
  if (error) span.set_error(error->what());
  if (!error) {
    // Counted before it is stored, here and below: whoever sees the outcome in the outbox (the API, a
    // test) also sees it in /metrics.
    metrics_.delivered.Increment();
    ledger.delivered(d.id, attempts, model::iso_time(clock_.wall_now()));
    const double delay = times_.age_seconds(d);
    times_.forget(d);
    metrics_.delay_seconds.Observe(delay);
    spdlog::info("{}: {} delivered (attempt {}, {:.2f} s after the event)", channel_->name(), what, attempts,
                 delay);
    return;
  }
  if (!error->retryable()) {
    give_up(d, what, attempts, error->what(), ledger);
  } else if (Seconds(times_.age_seconds(d)) > config_.give_up_hours) {
    give_up(d, what, attempts, fmt::format("{} (gave up: notify.give_up_hours)", error->what()), ledger);
  } else {
    const auto wait = backoff(attempts);
    metrics_.retries.Increment();
    times_.retry_after(d, wait);
    ledger.retry(d.id, attempts,
                 model::iso_time(clock_.wall_now() +
                                 std::chrono::duration_cast<std::chrono::system_clock::duration>(wait)),
                 error->what());
    spdlog::warn("{}: {} attempt {} failed, retrying in {:.1f} s: {}", channel_->name(), what, attempts,
                 wait.count(), error->what());
  }
}

void Dispatcher::give_up(const storage::Delivery& d, const std::string& what, int attempts,
                         const std::string& why, storage::DeliveryLedger& ledger) {
  metrics_.failed.Increment();
  times_.forget(d);
  ledger.failed(d.id, attempts, why, model::iso_time(clock_.wall_now()));
  spdlog::error("{}: {} NOT delivered after {} attempt(s): {}", channel_->name(), what, attempts, why);
}

}  // namespace doorbell::notify
