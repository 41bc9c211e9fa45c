#include "doorbell/common/health.hpp"

#include <algorithm>

namespace doorbell {

const char* to_string(ComponentState state) noexcept {
  switch (state) {
    case ComponentState::starting:
      return "starting";
    case ComponentState::ready:
      return "ready";
    case ComponentState::degraded:
      return "degraded";
    case ComponentState::not_ready:
      return "not_ready";
    case ComponentState::failed:
      return "failed";
    case ComponentState::stopped:
      return "stopped";
  }
  return "unknown";
}

Component::Component(std::string name, std::chrono::nanoseconds heartbeat_timeout, const Clock& clock)
    : name_(std::move(name)),
      heartbeat_timeout_(heartbeat_timeout),
      clock_(clock),
      last_beat_(clock.now().time_since_epoch().count()) {}

void Component::set_ready() {
  set_state(ComponentState::ready, {});
}

void Component::set_degraded(std::string reason) {
  set_state(ComponentState::degraded, std::move(reason));
}

void Component::set_not_ready(std::string reason) {
  set_state(ComponentState::not_ready, std::move(reason));
}

void Component::set_failed(std::string reason) {
  failures_.fetch_add(1, std::memory_order_relaxed);
  set_state(ComponentState::failed, std::move(reason));
}

void Component::set_stopped() {
  set_state(ComponentState::stopped, {});
}

void Component::beat() noexcept {
  last_beat_.store(clock_.now().time_since_epoch().count(), std::memory_order_relaxed);
}

void Component::set_state(ComponentState state, std::string detail) {
  std::lock_guard lock(mutex_);
  state_ = state;
  detail_ = std::move(detail);
}

Component::Snapshot Component::snapshot() const {
  Snapshot s;
  s.name = name_;
  {
    std::lock_guard lock(mutex_);
    s.state = state_;
    s.detail = detail_;
  }
  s.failures = failures_.load(std::memory_order_relaxed);
  if (heartbeat_timeout_.count() == 0) {
    s.fresh = true;
    s.heartbeat_age_seconds = -1.0;
  } else {
    const Clock::time_point last{Clock::time_point::duration{last_beat_.load(std::memory_order_relaxed)}};
    const auto age = clock_.now() - last;
    s.fresh = age <= heartbeat_timeout_;
    s.heartbeat_age_seconds = std::chrono::duration<double>(age).count();
  }
  return s;
}

bool Component::Snapshot::serving() const noexcept {
  return (state == ComponentState::ready || state == ComponentState::degraded) && fresh;
}

Component& HealthRegistry::add(std::string name, std::chrono::nanoseconds heartbeat_timeout) {
  std::lock_guard lock(mutex_);
  return components_.emplace_back(std::move(name), heartbeat_timeout, clock_);
}

std::vector<Component::Snapshot> HealthRegistry::snapshots() const {
  std::lock_guard lock(mutex_);
  std::vector<Component::Snapshot> out;
  out.reserve(components_.size());
  for (const auto& c : components_) out.push_back(c.snapshot());
  return out;
}

HealthReport HealthRegistry::liveness() const {
  HealthReport report{true, snapshots()};
  report.ok = std::none_of(report.components.begin(), report.components.end(),
                           [](const auto& c) { return c.state == ComponentState::failed; });
  return report;
}

HealthReport HealthRegistry::readiness() const {
  HealthReport report{true, snapshots()};
  report.ok = std::all_of(report.components.begin(), report.components.end(),
                          [](const auto& c) { return c.serving(); });
  return report;
}

}  // namespace doorbell
