#include "doorbell/api/rule_routes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "doorbell/api/audit_routes.hpp"
#include "doorbell/api/params.hpp"
#include "doorbell/config/notify_settings.hpp"
#include "doorbell/model/time_text.hpp"

namespace doorbell::api {
namespace {

nlohmann::json to_json(const storage::NotifyRule& r) {
  return {{"subject", r.subject},
          {"channels", r.channels.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.channels)},
          {"quiet_hours", r.quiet_hours},
          {"snooze_until", r.snooze_until}};
}

// The text field `key` of the request: empty when absent; BadRequest when it is not text.
std::string text_field(const nlohmann::json& request, const char* key) {
  if (!request.contains(key) || request[key].is_null()) return {};
  if (!request[key].is_string()) throw BadRequest(fmt::format("\"{}\" must be a string", key));
  return request[key].get<std::string>();
}

}  // namespace

Response list_rules(notify::RuleBook& rules, const std::vector<std::string>& channels) {
  auto list = nlohmann::json::array();
  for (const auto& r : rules.list()) list.push_back(to_json(r));
  return json_response(200, {{"rules", list}, {"channels", channels}});
}

Response put_rule(notify::RuleBook& rules, const std::vector<std::string>& channels,
                  const std::string& subject, const std::string& body, const PersonExists& person_exists) {
  if (subject.rfind("person-", 0) == 0 && !person_exists(std::stoll(subject.substr(7))))
    return json_error(404, fmt::format("no person with id {}", subject.substr(7)), "unknown_person");
  const auto request = nlohmann::json::parse(body, nullptr, false);
  if (!request.is_object()) {
    return json_error(400, R"(expected a JSON object: {"channels": [...], "quiet_hours": "22:00-07:00", )"
                           R"("snooze_until": "2026-12-24T18:00:00Z"})");
  }
  storage::NotifyRule rule{subject, {}, {}, {}};
  try {
    rule.quiet_hours = text_field(request, "quiet_hours");
    rule.snooze_until = text_field(request, "snooze_until");
  } catch (const BadRequest& e) {
    return json_error(400, e.what());
  }
  if (request.contains("channels") && !request["channels"].is_null()) {
    const auto& list = request["channels"];
    if (!list.is_array() || list.empty())
      return json_error(
          400, "\"channels\" must list at least one channel (null: every channel): a ring is always told");
    for (const auto& c : list) {
      if (!c.is_string() ||
          std::find(channels.begin(), channels.end(), c.get<std::string>()) == channels.end()) {
        return json_error(
            400, fmt::format("\"channels\": {} is not a configured channel ({})", c.dump(),
                             channels.empty() ? "none is" : fmt::format("{}", fmt::join(channels, ", "))));
      }
      rule.channels.push_back(c.get<std::string>());
    }
  }
  if (subject == "blacklisted" && (!rule.quiet_hours.empty() || !rule.snooze_until.empty()))
    return json_error(400, "the blacklist is never silenced: only its channels can be chosen");
  if (!rule.quiet_hours.empty() && !parse_quiet_hours(rule.quiet_hours))
    return json_error(400, "\"quiet_hours\" must be HH:MM-HH:MM (local time), e.g. 22:00-07:00");
  if (!rule.snooze_until.empty()) {
    const auto until = parse_iso8601(rule.snooze_until);
    if (!until)
      return json_error(400, "\"snooze_until\" must be an ISO 8601 time, e.g. 2026-12-24T18:00:00Z");
    rule.snooze_until = model::iso_time(*until);  // as the policy compares it
  }
  rules.put(rule);
  return json_response(200, to_json(rule));
}

Response delete_rule(notify::RuleBook& rules, const std::string& subject) {
  if (!rules.remove(subject)) return json_error(404, fmt::format("no rule for {}", subject), "unknown_rule");
  return json_response(200, {{"removed", subject}});
}

void add_rule_routes(Server& server, notify::RuleBook& rules, const std::vector<std::string>& channels,
                     const PersonExists& person_exists, storage::AuditTrail& audit) {
  server.get("/api/notify/rules", [&rules, channels](const Request&) { return list_rules(rules, channels); });
  server.put(R"(/api/notify/rules/(unknown|blacklisted|person-\d{1,18}))",
             [&rules, channels, person_exists, &audit](const Request& req) {
               const auto subject = req.matches[1].str();
               auto out = put_rule(rules, channels, subject, req.body, person_exists);
               const AuditChange change{"rule.changed", "rule", subject, subject, out.body};
               return audited(audit, change, std::move(out));
             });
  server.del(
      R"(/api/notify/rules/(unknown|blacklisted|person-\d{1,18}))", [&rules, &audit](const Request& req) {
        const auto subject = req.matches[1].str();
        return audited(audit, {"rule.removed", "rule", subject, subject, ""}, delete_rule(rules, subject));
      });
}

}  // namespace doorbell::api
