#include "doorbell/observability/health_collector.hpp"

#include "doorbell/common/wall_clock.hpp"
#include "doorbell/observability/metrics.hpp"

namespace doorbell {

std::vector<prometheus::MetricFamily> HealthCollector::Collect() const {
  auto ready = gauge_family("doorbell_component_ready",
                            "1 when the component is ready (or degraded) and its heartbeat is fresh");
  auto degraded = gauge_family("doorbell_component_degraded",
                               "1 while the component works with less (the detail in /api/ready says what)");
  auto failures = counter_family("doorbell_component_failures_total", "Times the component's worker died");
  auto age = gauge_family("doorbell_component_heartbeat_age_seconds",
                          "Seconds since the component's last heartbeat");
  for (const auto& c : health_.snapshots()) {
    const std::vector<prometheus::ClientMetric::Label> labels{{"component", c.name}};
    add_sample(ready, c.serving() ? 1 : 0, labels);
    add_sample(degraded, c.state == ComponentState::degraded ? 1 : 0, labels);
    add_sample(failures, static_cast<double>(c.failures), labels);
    if (c.heartbeat_age_seconds >= 0) add_sample(age, c.heartbeat_age_seconds, labels);
  }
  auto clock = gauge_family("doorbell_clock_synchronised",
                            "1 while the kernel holds the wall clock synchronised (NTP); events stamped "
                            "otherwise are marked clock_synced=false");
  add_sample(clock, wall_clock_synchronised() ? 1 : 0);
  return {std::move(ready), std::move(degraded), std::move(failures), std::move(age), std::move(clock)};
}

}  // namespace doorbell
