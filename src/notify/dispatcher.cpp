#include "dispatcher.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <optional>

namespace doorbell::notify {
namespace {

std::vector<std::uint8_t> read_file(const std::string& path) {
  if (path.empty()) return {};
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};  // empty when pruned
}

std::string trimmed(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

Dispatcher::Dispatcher(std::unique_ptr<Channel> channel, const NotifyConfig& config, storage::Outbox& outbox,
                       storage::EventStore& events, ChannelMetrics& metrics, Component& component,
                       const Tracer& tracer, storage::StorageHealth* storage)
    : channel_(std::move(channel)),
      config_(config),
      public_url_(trimmed(config.public_url)),
      outbox_(outbox),
      events_(events),
      metrics_(metrics),
      component_(component),
      tracer_(tracer),
      storage_(storage) {}

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
    try {
      while (!stop.stop_requested()) {
        const auto due =
            outbox_.next_due(channel_->name(), storage::iso_time(std::chrono::system_clock::now()));
        if (!due) break;
        attempt(*due);
        self.beat();
      }
      if (storage_) storage_->succeeded(storage::StoredItem::delivery);
    } catch (const std::exception& e) {  // the database itself failed: try again shortly
      spdlog::error("{}: outbox unavailable: {}", channel_->name(), e.what());
      if (storage_) storage_->failed(storage::StoredItem::delivery, e.what());
    }
    std::unique_lock lock(mutex_);
    wake_cv_.wait_for(lock, stop, std::chrono::seconds(1), [this] { return woken_; });
    woken_ = false;
  }
}

std::chrono::duration<double> Dispatcher::backoff(int attempts) {
  const double full = std::min(config_.retry_max_seconds,
                               config_.retry_initial_seconds * std::pow(2.0, std::max(0, attempts - 1)));
  return std::chrono::duration<double>(full * std::uniform_real_distribution<double>(0.5, 1.0)(jitter_));
}

void Dispatcher::attempt(const storage::Delivery& d) {
  const int attempts = d.attempts + 1;
  const auto event = events_.get(d.event_id);
  if (!event) {
    give_up(d, attempts, "the event was deleted before it could be sent");
    return;
  }
  const auto snapshot = read_file(event->snapshot_path);
  const auto url = public_url_.empty() || snapshot.empty()
                       ? std::string()
                       : fmt::format("{}/api/events/{}/snapshot.jpg", public_url_, event->id);
  auto span = tracer_.start(std::string("notify.") + channel_->name(), SpanKind::client,
                            context_from_hex(event->trace_id, event->span_id, true));
  span.set("doorbell.event.id", event->id)
      .set("doorbell.notify.channel", std::string(channel_->name()))
      .set("doorbell.notify.attempt", static_cast<std::int64_t>(attempts));
  const auto start = std::chrono::steady_clock::now();
  std::optional<DeliveryError> error;
  try {
    channel_->send({*event, snapshot, url, d.idempotency_key,
                    span.context().valid() ? format_traceparent(span.context()) : std::string()});
  } catch (const DeliveryError& e) {
    error = e;
  } catch (const std::exception& e) {  // a bug, not the receiver: retrying would fail the same way
    error = DeliveryError(fmt::format("could not be sent: {}", e.what()), false);
  }
  metrics_.attempt_seconds.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (error) span.set_error(error->what());
  if (!error) {
    // Counted before it is stored, here and below: whoever sees the outcome in the outbox (the API, a
    // test) also sees it in /metrics.
    metrics_.delivered.Increment();
    outbox_.delivered(d.id, attempts, storage::iso_time(std::chrono::system_clock::now()));
    const double delay = storage::seconds_since(d.created_at);
    metrics_.delay_seconds.Observe(delay);
    spdlog::info("{}: event {} delivered (attempt {}, {:.2f} s after the event)", channel_->name(),
                 d.event_id, attempts, delay);
    return;
  }
  if (!error->retryable()) {
    give_up(d, attempts, error->what());
  } else if (storage::seconds_since(d.created_at) > config_.give_up_hours * 3600) {
    give_up(d, attempts, fmt::format("{} (gave up: notify.give_up_hours)", error->what()));
  } else {
    const auto wait = backoff(attempts);
    metrics_.retries.Increment();
    outbox_.retry(d.id, attempts,
                  storage::iso_time(std::chrono::system_clock::now() +
                                    std::chrono::duration_cast<std::chrono::system_clock::duration>(wait)),
                  error->what());
    spdlog::warn("{}: event {} attempt {} failed, retrying in {:.1f} s: {}", channel_->name(), d.event_id,
                 attempts, wait.count(), error->what());
  }
}

void Dispatcher::give_up(const storage::Delivery& d, int attempts, const std::string& why) {
  metrics_.failed.Increment();
  outbox_.failed(d.id, attempts, why, storage::iso_time(std::chrono::system_clock::now()));
  spdlog::error("{}: event {} NOT delivered after {} attempt(s): {}", channel_->name(), d.event_id, attempts,
                why);
}

}  // namespace doorbell::notify
