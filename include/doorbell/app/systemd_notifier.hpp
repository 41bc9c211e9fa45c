#pragma once
// SystemdNotifier: the sd_notify side of a Type=notify service — READY=1 once every component is ready,
// STATUS= naming what is not, STOPPING=1 at shutdown, and WATCHDOG=1 only while every component is
// alive, so that systemd restarts a daemon whose worker died or whose main loop hangs. Does nothing
// outside systemd (no NOTIFY_SOCKET) or in a build without libsystemd (DOORBELL_WITH_SYSTEMD=OFF). Used
// from the main loop's thread only.

#include <chrono>
#include <optional>
#include <string>

#include "doorbell/common/clock.hpp"
#include "doorbell/common/health.hpp"

namespace doorbell {

class SystemdNotifier {
 public:
  SystemdNotifier(const HealthRegistry& health, const Clock& clock);

  // WatchdogSec= as systemd passed it (WATCHDOG_USEC), if the watchdog is on for this process.
  std::optional<std::chrono::microseconds> watchdog_interval() const noexcept { return watchdog_; }
  // How often update() must run to keep the watchdog fed: a quarter of its interval.
  std::chrono::milliseconds tick(std::chrono::milliseconds wanted) const noexcept;

  // Call on every main-loop tick: announces readiness once, keeps STATUS current, feeds the watchdog.
  void update();
  void stopping();

 private:
  void send(const std::string& state);

  const HealthRegistry& health_;
  const Clock& clock_;
  std::optional<std::chrono::microseconds> watchdog_;
  bool ready_sent_ = false;
  bool withholding_ = false;
  std::optional<Clock::time_point> last_ping_;
  std::string status_;
};

// "camera: no frames; gpio: cannot open ..." for the components that are not ready (or failed, with
// `failed_only`); empty when there are none.
std::string describe_problems(const HealthReport& report, bool failed_only);

}  // namespace doorbell
