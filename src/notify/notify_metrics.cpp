#include "notify_metrics.hpp"

namespace doorbell::notify {
namespace {

prometheus::Family<prometheus::Counter>& outcomes(prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("doorbell_notifications_total")
      .Help("Notification deliveries by channel and outcome: delivered, failed (gave up) or skipped (policy)")
      .Register(registry);
}

const prometheus::Histogram::BucketBoundaries kAttemptBuckets{0.01, 0.025, 0.05, 0.1, 0.25,
                                                              0.5,  1,     2.5,  5,   10};
const prometheus::Histogram::BucketBoundaries kDelayBuckets{0.05, 0.1, 0.25, 0.5, 1,   2.5,  5,
                                                            10,   30,  60,   300, 900, 3600, 21600};

}  // namespace

ChannelMetrics::ChannelMetrics(prometheus::Registry& registry, const std::string& channel)
    : delivered(outcomes(registry).Add({{"channel", channel}, {"outcome", "delivered"}})),
      failed(outcomes(registry).Add({{"channel", channel}, {"outcome", "failed"}})),
      skipped(outcomes(registry).Add({{"channel", channel}, {"outcome", "skipped"}})),
      retries(prometheus::BuildCounter()
                  .Name("doorbell_notification_retries_total")
                  .Help("Failed delivery attempts that will be tried again, by channel")
                  .Register(registry)
                  .Add({{"channel", channel}})),
      attempt_seconds(prometheus::BuildHistogram()
                          .Name("doorbell_notification_attempt_seconds")
                          .Help("Time of one delivery attempt, by channel")
                          .Register(registry)
                          .Add({{"channel", channel}}, kAttemptBuckets)),
      delay_seconds(
          prometheus::BuildHistogram()
              .Name("doorbell_notification_delay_seconds")
              .Help("Time from an event being stored to its notification being delivered, by channel")
              .Register(registry)
              .Add({{"channel", channel}}, kDelayBuckets)) {}

}  // namespace doorbell::notify
