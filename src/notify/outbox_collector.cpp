#include "outbox_collector.hpp"

#include <spdlog/spdlog.h>

#include "doorbell/model/time_text.hpp"
#include "doorbell/observability/metrics.hpp"

namespace doorbell::notify {

OutboxCollector::OutboxCollector(storage::Outbox& outbox, std::vector<std::string> channels)
    : outbox_(outbox), channels_(std::move(channels)) {}

std::vector<prometheus::MetricFamily> OutboxCollector::Collect() const {
  auto pending =
      gauge_family("doorbell_outbox_pending", "Notification deliveries waiting to be sent, by channel");
  auto oldest = gauge_family("doorbell_outbox_oldest_pending_age_seconds",
                             "Age of the oldest delivery still waiting, by channel (0 when none waits)");
  std::map<std::string, storage::Backlog> backlog;
  try {
    backlog = outbox_.backlog();
  } catch (const std::exception& e) {
    spdlog::warn("metrics: cannot read the outbox backlog: {}", e.what());
    return {};
  }
  for (const auto& channel : channels_) {
    const auto& b = backlog[channel];
    add_sample(pending, static_cast<double>(b.pending), {{"channel", channel}});
    add_sample(oldest, model::seconds_between(b.oldest_created_at, std::chrono::system_clock::now()),
               {{"channel", channel}});
  }
  return {std::move(pending), std::move(oldest)};
}

}  // namespace doorbell::notify
