#pragma once
// NotificationPolicy: which channels hear about an event. A channel whose kind filter does not include
// the event's kind gets nothing; otherwise a delivery that is pending, or skipped because of quiet hours
// (notify.quiet_hours, local time), the per-visitor cooldown (notify.cooldown_seconds: the same names or
// visitor clusters, or "unknown", or "no face" at most once per cooldown), or because only ignored visitors
// wait at the door without ringing (a ring is always told). Blacklisted visitors always notify.
// Thread-safe.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "doorbell/config/config.hpp"
#include "doorbell/storage/event_store.hpp"

namespace doorbell::notify {

struct Route {
  std::string channel;
  std::set<std::string> kinds;
};

// True when `minute` (after local midnight) falls in [start, end), the window spanning midnight when
// end < start.
bool in_quiet_hours(std::pair<int, int> window, int minute);

class NotificationPolicy {
 public:
  NotificationPolicy(const NotifyConfig& config, std::vector<Route> routes);

  // `local_minute`: minutes after local midnight now (for quiet hours).
  std::vector<storage::NewDelivery> plan(const storage::EventRecord& event,
                                         std::chrono::steady_clock::time_point now, int local_minute);

 private:
  const std::chrono::nanoseconds cooldown_;
  const std::optional<std::pair<int, int>> quiet_hours_;
  const std::vector<Route> routes_;
  std::mutex mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_notified_;  // by visitor; guarded
};

// Minutes after local midnight for the system clock's now (localtime_r; TZ decides the zone).
int local_minute_now();

}  // namespace doorbell::notify
