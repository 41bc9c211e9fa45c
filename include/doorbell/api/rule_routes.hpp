#pragma once
// The household's notification rules over HTTP (access levels in the route table): GET /api/notify/rules
// (every rule, and the channels there are), PUT and DELETE /api/notify/rules/{subject} — "person-<id>",
// "unknown" (strangers) or "blacklisted". Plain functions of their inputs plus their registration.
// Thread-safe.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "doorbell/api/transport.hpp"
#include "doorbell/notify/rule_book.hpp"
#include "doorbell/storage/audit_trail.hpp"

namespace doorbell::api {

using PersonExists = std::function<bool(std::int64_t)>;

Response list_rules(notify::RuleBook& rules, const std::vector<std::string>& channels);
// {"channels": ["ntfy"] (null or absent: every channel), "quiet_hours": "22:00-07:00", "snooze_until":
// ISO 8601}: the subject's rule, replaced whole. 400 naming what is wrong; 404 for a person who is not.
Response put_rule(notify::RuleBook& rules, const std::vector<std::string>& channels,
                  const std::string& subject, const std::string& body, const PersonExists& person_exists);
Response delete_rule(notify::RuleBook& rules, const std::string& subject);

// Changes are recorded in `audit`.
void add_rule_routes(Server& server, notify::RuleBook& rules, const std::vector<std::string>& channels,
                     const PersonExists& person_exists, storage::AuditTrail& audit);

}  // namespace doorbell::api
