#pragma once
// HealthRegistry: the state and heartbeat of every component, from which /api/health (liveness) and
// /api/ready (readiness) are decided. Thread-safe: components are added at start-up, then updated from
// their own threads while the HTTP server reads reports.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "doorbell/common/clock.hpp"

namespace doorbell {

// degraded: working with less (the shared database away: rings are still decided and notified) and still
// ready; the detail says what is missing.
enum class ComponentState { starting, ready, degraded, not_ready, failed, stopped };

const char* to_string(ComponentState state) noexcept;

// One part of the daemon (a worker, the HTTP server, the main loop). Thread-safe.
class Component {
 public:
  Component(std::string name, std::chrono::nanoseconds heartbeat_timeout, const Clock& clock);

  const std::string& name() const noexcept { return name_; }
  // Zero means the component has no heartbeat to keep fresh.
  std::chrono::nanoseconds heartbeat_timeout() const noexcept { return heartbeat_timeout_; }

  void set_ready();
  void set_degraded(std::string reason);
  void set_not_ready(std::string reason);
  // The component died (a worker's thread ended by an exception or unexpectedly); counted.
  void set_failed(std::string reason);
  void set_stopped();
  // Records that the component is making progress; cheap enough for every frame.
  void beat() noexcept;

  struct Snapshot {
    std::string name;
    ComponentState state;
    std::string detail;
    bool fresh;                    // heartbeat within the timeout (always true without one)
    double heartbeat_age_seconds;  // negative when the component has no heartbeat
    std::uint64_t failures;

    bool serving() const noexcept;  // ready or degraded, with a fresh heartbeat
  };
  Snapshot snapshot() const;

 private:
  void set_state(ComponentState state, std::string detail);

  const std::string name_;
  const std::chrono::nanoseconds heartbeat_timeout_;
  const Clock& clock_;
  std::atomic<Clock::time_point::rep> last_beat_;
  std::atomic<std::uint64_t> failures_{0};
  mutable std::mutex mutex_;
  ComponentState state_ = ComponentState::starting;
  std::string detail_;
};

struct HealthReport {
  bool ok = false;
  std::vector<Component::Snapshot> components;
};

class HealthRegistry {
 public:
  explicit HealthRegistry(const Clock& clock) : clock_(clock) {}

  // The returned reference stays valid for the registry's lifetime.
  Component& add(std::string name, std::chrono::nanoseconds heartbeat_timeout = {});

  // Alive unless a component has failed; stopped components are fine while shutting down.
  HealthReport liveness() const;
  // Ready when every component is ready or degraded and its heartbeat is fresh.
  HealthReport readiness() const;
  std::vector<Component::Snapshot> snapshots() const;

 private:
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::deque<Component> components_;  // deque: references stay valid as components are added
};

}  // namespace doorbell
