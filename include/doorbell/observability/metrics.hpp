#pragma once
// Metrics: the daemon's Prometheus registry plus collectors read at scrape time (process, health,
// queues), rendered in the text exposition format for /metrics. With a door id (door.id), every series
// carries door="<id>" except those of household-wide collectors (the same value at every door).
// Thread-safe.

#include <prometheus/collectable.h>
#include <prometheus/registry.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace doorbell {

class Metrics {
 public:
  // What a collector's series describe: this door, or the whole household (a shared database's table).
  enum class Scope { door, household };

  explicit Metrics(std::string door = {});

  prometheus::Registry& registry() noexcept { return *registry_; }
  void add_collector(std::unique_ptr<prometheus::Collectable> collector, Scope scope = Scope::door);
  // Prometheus text format 0.0.4.
  std::string render() const;

 private:
  struct Collector {
    std::unique_ptr<prometheus::Collectable> collectable;
    Scope scope;
  };
  // Adds door="<door_>" to each sample of `family` (unless it names a door itself).
  void label_door(prometheus::MetricFamily& family) const;

  const std::string door_;
  std::shared_ptr<prometheus::Registry> registry_;
  mutable std::mutex mutex_;
  std::vector<Collector> collectors_;
};

inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

// A gauge family with one sample per label set; the building block of scrape-time collectors.
prometheus::MetricFamily gauge_family(std::string name, std::string help);
prometheus::MetricFamily counter_family(std::string name, std::string help);
void add_sample(prometheus::MetricFamily& family, double value,
                std::vector<prometheus::ClientMetric::Label> labels = {});

// doorbell_build_info{version,commit} 1
void register_build_info(prometheus::Registry& registry);
// doorbell_door_info{door,name} 1: joins any series of this instance to its door (dashboards, alerts).
void register_door_info(prometheus::Registry& registry, const std::string& id, const std::string& name);

}  // namespace doorbell
