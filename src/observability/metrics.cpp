#include "doorbell/observability/metrics.hpp"

#include <prometheus/gauge.h>
#include <prometheus/text_serializer.h>

#include <algorithm>

#include "doorbell/common/build_info.hpp"

namespace doorbell {

Metrics::Metrics(std::string door)
    : door_(std::move(door)), registry_(std::make_shared<prometheus::Registry>()) {}

void Metrics::add_collector(std::unique_ptr<prometheus::Collectable> collector, Scope scope) {
  std::lock_guard lock(mutex_);
  collectors_.push_back({std::move(collector), scope});
}

std::string Metrics::render() const {
  auto families = registry_->Collect();
  for (auto& family : families) label_door(family);
  {
    std::lock_guard lock(mutex_);
    for (const auto& collector : collectors_) {
      for (auto& family : collector.collectable->Collect()) {
        if (family.metric.empty()) continue;
        if (collector.scope == Scope::door) label_door(family);
        families.push_back(std::move(family));
      }
    }
  }
  return prometheus::TextSerializer().Serialize(families);
}

void Metrics::label_door(prometheus::MetricFamily& family) const {
  if (door_.empty()) return;
  for (auto& metric : family.metric) {  // in order of names, as the registry keeps them
    auto& labels = metric.label;
    const auto at =
        std::find_if(labels.begin(), labels.end(), [](const auto& l) { return l.name >= "door"; });
    if (at == labels.end() || at->name != "door") labels.insert(at, {"door", door_});
  }
}

prometheus::MetricFamily gauge_family(std::string name, std::string help) {
  return {std::move(name), std::move(help), prometheus::MetricType::Gauge, {}};
}

prometheus::MetricFamily counter_family(std::string name, std::string help) {
  return {std::move(name), std::move(help), prometheus::MetricType::Counter, {}};
}

void add_sample(prometheus::MetricFamily& family, double value,
                std::vector<prometheus::ClientMetric::Label> labels) {
  prometheus::ClientMetric metric;
  std::sort(labels.begin(), labels.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  metric.label = std::move(labels);
  if (family.type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(std::move(metric));
}

void register_build_info(prometheus::Registry& registry) {
  prometheus::BuildGauge()
      .Name("doorbell_build_info")
      .Help("Build of the running doorbelld; always 1")
      .Register(registry)
      .Add({{"version", build_version()}, {"commit", build_commit()}})
      .Set(1);
}

void register_door_info(prometheus::Registry& registry, const std::string& id, const std::string& name) {
  prometheus::BuildGauge()
      .Name("doorbell_door_info")
      .Help("The door this doorbelld serves (door.id, door.name); always 1")
      .Register(registry)
      .Add({{"door", id}, {"name", name}})
      .Set(1);
}

}  // namespace doorbell
