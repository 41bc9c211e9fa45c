#include "doorbell/notify/policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

#include "doorbell/config/notify_settings.hpp"

namespace doorbell::notify {
namespace {

// Who the cooldown counts: the names, the visitor clusters of the unknown faces, or the kind.
std::string visitor_key(const storage::EventRecord& e) {
  auto names = e.names;
  for (const auto& f : e.faces) {
    if (f.value("result", "") == "unknown" && f.contains("visitor"))
      names.push_back(fmt::format("visitor {}", f["visitor"].value("id", std::int64_t{0})));
  }
  if (names.empty()) return e.kind;  // unknown, no_face
  std::sort(names.begin(), names.end());
  return fmt::format("{}", fmt::join(names, "+"));
}

// Faces that stay at the door (no ring), each a visitor someone chose to ignore.
bool only_ignored_waiting(const storage::EventRecord& e) {
  return e.source == "presence" && e.kind == "ignored";
}

}  // namespace

bool in_quiet_hours(std::pair<int, int> window, int minute) {
  const auto [start, end] = window;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

int local_minute_now() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return local.tm_hour * 60 + local.tm_min;
}

NotificationPolicy::NotificationPolicy(const NotifyConfig& config, std::vector<Route> routes)
    : cooldown_(std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::duration<double>(config.cooldown_seconds))),
      quiet_hours_(config.quiet_hours.empty() ? std::nullopt : parse_quiet_hours(config.quiet_hours)),
      routes_(std::move(routes)) {}

std::vector<storage::NewDelivery> NotificationPolicy::plan(const storage::EventRecord& event,
                                                           std::chrono::steady_clock::time_point now,
                                                           int local_minute) {
  std::vector<storage::NewDelivery> out;
  for (const auto& route : routes_) {
    if (route.kinds.count(event.kind) > 0) out.push_back({route.channel, {}});
  }
  if (out.empty() || event.kind == "blacklisted") return out;
  std::string reason;
  if (only_ignored_waiting(event)) {
    reason = "ignored visitor";
  } else if (quiet_hours_ && in_quiet_hours(*quiet_hours_, local_minute)) {
    reason = "quiet hours";
  } else {
    const auto key = visitor_key(event);
    std::lock_guard lock(mutex_);
    const auto it = last_notified_.find(key);
    if (it != last_notified_.end() && now - it->second < cooldown_) {
      reason = fmt::format("cooldown: {} was notified {:.0f} s ago", key,
                           std::chrono::duration<double>(now - it->second).count());
    } else {
      last_notified_[key] = now;
    }
  }
  for (auto& d : out) d.skipped_because = reason;
  return out;
}

}  // namespace doorbell::notify
