#include "doorbell/notify/notifications.hpp"

#include <spdlog/spdlog.h>

#include "dispatcher.hpp"
#include "doorbell/common/clock.hpp"
#include "doorbell/config/notify_settings.hpp"
#include "doorbell/model/time_text.hpp"
#if DOORBELL_WITH_MQTT
#include "mqtt_channel.hpp"
#endif
#include "ntfy_channel.hpp"
#include "outbox_collector.hpp"
#include "telegram_channel.hpp"
#include "webhook_channel.hpp"

namespace doorbell::notify {

// One channel: its metrics and its dispatcher thread.
struct Notifications::Lane {
  Lane(std::unique_ptr<Channel> channel, const Config& config, storage::Outbox& outbox,
       storage::EventStore& events, storage::StorageHealth& storage, storage::EventSpool& spool,
       HealthRegistry& health, prometheus::Registry& registry, const Tracer& tracer, const Clock& clock)
      : name(channel->name()),
        metrics(registry, name),
        dispatcher(std::move(channel), config.notify, outbox, events, metrics,
                   health.add("notify_" + name, ticks(config.daemon.heartbeat_timeout_seconds)), tracer,
                   clock, &storage, &spool) {}

  const std::string name;
  ChannelMetrics metrics;
  Dispatcher dispatcher;
};

Notifications::Notifications(const Config& config, storage::EventStore& events, storage::Outbox& outbox,
                             storage::StorageHealth& storage, storage::EventSpool& spool,
                             HealthRegistry& health, Metrics& metrics, const Tracer& tracer,
                             const Clock& clock, RuleBook* rules) {
  std::vector<std::pair<std::unique_ptr<Channel>, std::string>> channels;  // with their kind filters
  const Transport transport{config.notify.timeout_seconds, config.notify.ca_file};
  if (!config.webhook.url.empty()) {
    channels.emplace_back(std::make_unique<WebhookChannel>(config.webhook, transport), config.webhook.kinds);
  }
  if (!config.ntfy.url.empty()) {
    channels.emplace_back(std::make_unique<NtfyChannel>(config.ntfy, transport), config.ntfy.kinds);
  }
  if (!config.telegram.bot_token.empty()) {
    channels.emplace_back(std::make_unique<TelegramChannel>(config.telegram, transport),
                          config.telegram.kinds);
  }
#if DOORBELL_WITH_MQTT  // else load_config() refuses mqtt.host
  if (!config.mqtt.host.empty()) {
    channels.emplace_back(std::make_unique<MqttChannel>(config.mqtt, config.notify.timeout_seconds),
                          config.mqtt.kinds);
  }
#endif
  std::vector<Route> routes;
  std::vector<std::string> names;
  for (auto& [channel, kinds] : channels) {
    routes.push_back({channel->name(), parse_kinds(kinds).value_or(std::set<std::string>{})});
    names.push_back(channel->name());
    lanes_.push_back(std::make_unique<Lane>(std::move(channel), config, outbox, events, storage, spool,
                                            health, metrics.registry(), tracer, clock));
  }
  policy_ = std::make_unique<NotificationPolicy>(config.notify, std::move(routes), rules);
  channels_ = names;
  // The outbox is the household's when the doors share a database: every door counts every door's.
  metrics.add_collector(std::make_unique<OutboxCollector>(outbox, std::move(names)),
                        Metrics::Scope::household);
  if (lanes_.empty()) spdlog::info("notifications: no channel configured; events are only recorded");
}

Notifications::~Notifications() {
  stop();
}

std::vector<storage::NewDelivery> Notifications::plan(const model::Event& event) {
  auto planned = policy_->plan(event, std::chrono::steady_clock::now(), local_minute_now(),
                               model::iso_time(std::chrono::system_clock::now()));
  for (const auto& d : planned) {
    if (d.skipped_because.empty()) continue;
    for (auto& lane : lanes_) {
      if (lane->name == d.channel) lane->metrics.skipped.Increment();
    }
  }
  return planned;
}

void Notifications::decided(const model::Event& event) {
  spdlog::info("{}: {} at the door ({}), ring to decision {:.0f} ms",
               event.id != 0 ? fmt::format("event {}", event.id) : std::string("held event"),
               model::to_string(event.kind),
               event.names.empty() ? "no names" : fmt::format("{}", fmt::join(event.names, ", ")),
               event.latency_seconds * 1000);
  wake();
}

void Notifications::wake() {
  for (auto& lane : lanes_) lane->dispatcher.wake();
}

void Notifications::start() {
  for (auto& lane : lanes_) lane->dispatcher.start();
}

void Notifications::stop() {
  for (auto& lane : lanes_) lane->dispatcher.stop();
}

}  // namespace doorbell::notify
