#include "doorbell/observability/queue_collector.hpp"

#include "doorbell/observability/metrics.hpp"

namespace doorbell {

void QueueCollector::add(std::string name, OverflowPolicy policy, std::function<QueueStats()> stats) {
  std::lock_guard lock(mutex_);
  sources_.push_back({std::move(name), policy, std::move(stats)});
}

std::vector<prometheus::MetricFamily> QueueCollector::Collect() const {
  auto depth = gauge_family("doorbell_queue_depth", "Items waiting in the queue");
  auto capacity = gauge_family("doorbell_queue_capacity", "Maximum items the queue holds");
  auto pushed = counter_family("doorbell_queue_pushed_total", "Items accepted by the queue");
  auto dropped = counter_family("doorbell_queue_dropped_total",
                                "Items lost to the queue's overflow policy (rejected or evicted)");
  std::lock_guard lock(mutex_);
  for (const auto& source : sources_) {
    const auto s = source.stats();
    add_sample(depth, static_cast<double>(s.depth), {{"queue", source.name}});
    add_sample(capacity, static_cast<double>(s.capacity), {{"queue", source.name}});
    add_sample(pushed, static_cast<double>(s.pushed), {{"queue", source.name}});
    add_sample(dropped, static_cast<double>(s.dropped),
               {{"queue", source.name}, {"policy", to_string(source.policy)}});
  }
  return {std::move(depth), std::move(capacity), std::move(pushed), std::move(dropped)};
}

}  // namespace doorbell
