#include "doorbell/app/systemd_notifier.hpp"

#include <spdlog/spdlog.h>
#if DOORBELL_WITH_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include <cstdlib>
#include <system_error>

namespace doorbell {

std::string describe_problems(const HealthReport& report, bool failed_only) {
  std::string text;
  for (const auto& c : report.components) {
    const bool problem = failed_only ? c.state == ComponentState::failed : !c.serving();
    if (!problem) continue;
    if (!text.empty()) text += "; ";
    const bool working = c.state == ComponentState::ready || c.state == ComponentState::degraded;
    text += c.name + ": " + (working ? "heartbeat stale" : to_string(c.state));
    if (!c.detail.empty()) text += " (" + c.detail + ")";
  }
  return text;
}

SystemdNotifier::SystemdNotifier(const HealthRegistry& health, const Clock& clock)
    : health_(health), clock_(clock) {
#if DOORBELL_WITH_SYSTEMD
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) watchdog_ = std::chrono::microseconds(usec);
#else
  if (std::getenv("NOTIFY_SOCKET") != nullptr)
    spdlog::warn("started by systemd, but built with DOORBELL_WITH_SYSTEMD=OFF: no readiness or watchdog");
#endif
}

std::chrono::milliseconds SystemdNotifier::tick(std::chrono::milliseconds wanted) const noexcept {
  if (!watchdog_) return wanted;
  return std::max(std::chrono::milliseconds(1),
                  std::min(wanted, std::chrono::duration_cast<std::chrono::milliseconds>(*watchdog_ / 4)));
}

void SystemdNotifier::update() {
  const auto readiness = health_.readiness();
  const auto status =
      readiness.ok ? std::string("ready") : "not ready: " + describe_problems(readiness, false);
  if (readiness.ok && !ready_sent_) {
    ready_sent_ = true;
    status_ = status;
    send("READY=1\nSTATUS=" + status);
  } else if (status != status_) {
    status_ = status;
    send("STATUS=" + status);
  }

  if (!watchdog_) return;
  const auto now = clock_.now();
  if (last_ping_ && now - *last_ping_ < *watchdog_ / 2) return;
  const auto liveness = health_.liveness();
  if (!liveness.ok) {
    if (!withholding_) {
      spdlog::error("withholding the systemd watchdog so that systemd restarts doorbelld: {}",
                    describe_problems(liveness, true));
      withholding_ = true;
    }
    return;
  }
  withholding_ = false;
  last_ping_ = now;
  send("WATCHDOG=1");
}

void SystemdNotifier::stopping() {
  send("STOPPING=1\nSTATUS=stopping");
}

void SystemdNotifier::send(const std::string& state) {
#if DOORBELL_WITH_SYSTEMD
  if (const int r = sd_notify(0, state.c_str()); r < 0) {
    spdlog::warn("sd_notify failed: {}", std::generic_category().message(-r));
  }
#else
  (void)state;
#endif
}

}  // namespace doorbell
