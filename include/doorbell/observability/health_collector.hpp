#pragma once
// HealthCollector: per-component readiness, failures and heartbeat age from a HealthRegistry, and whether
// the wall clock is synchronised, read at scrape time. Thread-safe; the registry must outlive it.

#include <prometheus/collectable.h>

#include <vector>

#include "doorbell/common/health.hpp"

namespace doorbell {

class HealthCollector final : public prometheus::Collectable {
 public:
  explicit HealthCollector(const HealthRegistry& health) : health_(health) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const HealthRegistry& health_;
};

}  // namespace doorbell
