#pragma once
// The notification metrics of one channel: outcomes, retries, the time of each attempt and the delay
// from event to delivery. Internal to src/notify. Thread-safe (prometheus-cpp metrics are).

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string>

namespace doorbell::notify {

struct ChannelMetrics {
  ChannelMetrics(prometheus::Registry& registry, const std::string& channel);

  prometheus::Counter& delivered;
  prometheus::Counter& failed;
  prometheus::Counter& skipped;
  prometheus::Counter& retries;
  prometheus::Histogram& attempt_seconds;
  prometheus::Histogram& delay_seconds;
};

}  // namespace doorbell::notify
