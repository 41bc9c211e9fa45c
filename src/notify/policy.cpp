#include "doorbell/notify/policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

#include "doorbell/common/clock.hpp"
#include "doorbell/config/notify_settings.hpp"

namespace doorbell::notify {
namespace {

// Who the cooldown counts: the names, the visitor clusters of the unknown faces, or the kind.
std::string visitor_key(const model::Event& e) {
  auto names = e.names;
  for (const auto& f : e.faces) {
    if (f.verdict == model::Verdict::unknown && f.visitor)
      names.push_back(fmt::format("visitor {}", f.visitor->visitor_id));
  }
  if (names.empty()) return model::to_string(e.kind);  // unknown, no_face
  std::sort(names.begin(), names.end());
  return fmt::format("{}", fmt::join(names, "+"));
}

// Faces that stay at the door (no ring), each a visitor someone chose to ignore.
bool only_ignored_waiting(const model::Event& e) {
  return e.source == "presence" && e.kind == model::EventKind::ignored;
}

// Whom an event is about, as rules name them ("person-3", "unknown", "blacklisted") and as people read it.
std::vector<std::pair<std::string, std::string>> subjects_of(const model::Event& e) {
  if (e.kind == model::EventKind::blacklisted) return {{"blacklisted", "the blacklist"}};
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < e.faces.size(); ++i) {
    const auto& f = e.faces[i];
    if (f.verdict != model::Verdict::known) {
      out.emplace_back("unknown", "strangers");
      continue;
    }
    const auto described = std::find_if(e.described.begin(), e.described.end(),
                                        [i](const auto& d) { return d.position == static_cast<int>(i); });
    if (described != e.described.end() && described->person_id != 0)
      out.emplace_back(fmt::format("person-{}", described->person_id), f.name);
  }
  return out;
}

}  // namespace

std::string rule_skip_reason(const model::Event& event, const std::string& channel,
                             const std::map<std::string, storage::NotifyRule>& rules, int local_minute,
                             const std::string& utc_now) {
  const auto subjects = subjects_of(event);
  if (subjects.empty()) return {};
  std::vector<std::string> labels;
  bool anyone_wants_it = false;  // a subject without a rule, or whose rule lists the channel
  bool anyone_awake = false;     // a subject neither snoozed nor in quiet hours
  std::string why_quiet;
  for (const auto& [subject, label] : subjects) {
    labels.push_back(label);
    const auto rule = rules.find(subject);
    if (rule == rules.end()) {
      anyone_wants_it = anyone_awake = true;
      continue;
    }
    const auto& r = rule->second;
    anyone_wants_it = anyone_wants_it || r.channels.empty() ||
                      std::find(r.channels.begin(), r.channels.end(), channel) != r.channels.end();
    const bool snoozed = !r.snooze_until.empty() && utc_now < r.snooze_until;
    const auto hours = r.quiet_hours.empty() ? std::nullopt : parse_quiet_hours(r.quiet_hours);
    const bool quiet = hours && in_quiet_hours(*hours, local_minute);
    anyone_awake = anyone_awake || (!snoozed && !quiet);
    if (snoozed) why_quiet = fmt::format("{} snoozed until {}", label, r.snooze_until);
    if (quiet && why_quiet.empty()) why_quiet = fmt::format("quiet hours of {}", label);
  }
  if (!anyone_wants_it) return fmt::format("rule: {} not told on {}", fmt::join(labels, ", "), channel);
  // Only a visitor waiting without ringing is held back: a press is always told, the blacklist always.
  if (!anyone_awake && event.source == "presence" && event.kind != model::EventKind::blacklisted)
    return why_quiet;
  return {};
}

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

NotificationPolicy::NotificationPolicy(const NotifyConfig& config, std::vector<Route> routes, RuleBook* rules)
    : cooldown_(ticks(config.cooldown_seconds)),
      quiet_hours_(config.quiet_hours.empty() ? std::nullopt : parse_quiet_hours(config.quiet_hours)),
      routes_(std::move(routes)),
      rules_(rules) {}

std::vector<storage::NewDelivery> NotificationPolicy::plan(const model::Event& event,
                                                           std::chrono::steady_clock::time_point now,
                                                           int local_minute, const std::string& utc_now) {
  std::vector<storage::NewDelivery> out;
  for (const auto& route : routes_) {
    if (route.kinds.count(model::to_string(event.kind)) > 0) out.push_back({route.channel, {}});
  }
  if (rules_ != nullptr && !out.empty()) {
    const auto rules = rules_->by_subject();
    for (auto& d : out) d.skipped_because = rule_skip_reason(event, d.channel, rules, local_minute, utc_now);
  }
  if (out.empty() || event.kind == model::EventKind::blacklisted) return out;
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
  for (auto& d : out) {
    if (d.skipped_because.empty()) d.skipped_because = reason;
  }
  return out;
}

}  // namespace doorbell::notify
