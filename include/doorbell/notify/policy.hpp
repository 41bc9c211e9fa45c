#pragma once
// NotificationPolicy: which channels hear about an event. A channel whose kind filter does not include
// the event's kind gets nothing; otherwise a delivery that is pending, or skipped because of quiet hours
// (notify.quiet_hours, local time), the per-visitor cooldown (notify.cooldown_seconds: the same names or
// visitor clusters, or "unknown", or "no face" at most once per cooldown), or because only ignored visitors
// wait at the door without ringing (a ring is always told). Then the household's rules (RuleBook), by
// whom the event is about — each person named, strangers ("unknown"), the blacklist: a channel none of
// their rules lists is skipped; a visitor waiting at the door without ringing, everyone of them snoozed
// or in their quiet hours, is skipped. A ring is always told on the channels of the rules, and the
// blacklist is never silenced. Blacklisted visitors always notify. Thread-safe.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "doorbell/config/config.hpp"
#include "doorbell/notify/rule_book.hpp"
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
  // `rules` (optional) outlives the policy.
  NotificationPolicy(const NotifyConfig& config, std::vector<Route> routes, RuleBook* rules = nullptr);

  // `local_minute`: minutes after local midnight now (for quiet hours); `utc_now`: now as iso_time (for
  // snoozes).
  std::vector<storage::NewDelivery> plan(const model::Event& event, std::chrono::steady_clock::time_point now,
                                         int local_minute, const std::string& utc_now = {});

 private:
  const std::chrono::nanoseconds cooldown_;
  const std::optional<std::pair<int, int>> quiet_hours_;
  const std::vector<Route> routes_;
  RuleBook* const rules_;
  std::mutex mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_notified_;  // by visitor; guarded
};

// What the household's rules say of `channel` for `event`: why it is skipped, or empty.
std::string rule_skip_reason(const model::Event& event, const std::string& channel,
                             const std::map<std::string, storage::NotifyRule>& rules, int local_minute,
                             const std::string& utc_now);

// Minutes after local midnight for the system clock's now (localtime_r; TZ decides the zone).
int local_minute_now();

}  // namespace doorbell::notify
