#include "doorbell/api/audit_routes.hpp"

#include <algorithm>

#include "doorbell/api/params.hpp"
#include "doorbell/http/url_text.hpp"

namespace doorbell::api {

storage::AuditActor audit_actor(const RequestContext& context) {
  const auto& p = context.principal;
  if (p.via_session) return {p.user, "session", context.address};
  if (!p.name.empty()) return {p.name, "token", context.address};
  return {"anonymous", "anonymous", context.address};
}

nlohmann::json json_object_of(std::string_view text) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  return parsed.is_object() ? parsed : nlohmann::json::object();
}

void record_success(storage::AuditTrail& audit, const AuditChange& change, const Response& answer) {
  if (answer.status < 200 || answer.status >= 300) return;
  audit.record({.actor = audit_actor(request_context()),
                .action = change.action,
                .object_type = change.object_type,
                .object_id = change.object_id,
                .object_name = change.object_name,
                .detail = change.detail});
}

Response audited(storage::AuditTrail& audit, const AuditChange& change, Response answer) {
  record_success(audit, change, answer);
  return answer;
}

nlohmann::json to_json(const storage::AuditEntry& e) {
  nlohmann::json out{
      {"id", e.id},
      {"time", e.time},
      {"actor", {{"name", e.actor.name}, {"kind", e.actor.kind}, {"address", e.actor.address}}},
      {"action", e.action},
      {"object", {{"type", e.object_type}, {"id", e.object_id}, {"name", e.object_name}}},
      {"detail", e.detail}};
  if (!e.door.empty()) out["door"] = e.door;
  return out;
}

Response list_audit(storage::AuditTrail& audit, const Params& params) {
  storage::AuditQuery q;
  read_page(params, q);
  q.action = text_param(params, "action");
  const auto is_action_char = [](char c) { return (c >= 'a' && c <= 'z') || c == '_' || c == '.'; };
  if (q.action && (q.action->empty() || q.action->size() > 40 ||
                   !std::all_of(q.action->begin(), q.action->end(), is_action_char))) {
    return json_error(400, "action must be an action (person.renamed) or its first word (person)");
  }
  q.actor = text_param(params, "actor");
  q.object_type = text_param(params, "object_type");
  q.object_id = text_param(params, "object_id");
  if (q.object_id && !q.object_type) return json_error(400, "object_id needs object_type");
  auto list = nlohmann::json::array();
  const auto found = audit.list(q);
  for (const auto& e : found) list.push_back(to_json(e));
  nlohmann::json body{{"entries", list}};
  if (static_cast<int>(found.size()) == q.limit)
    body["next"] = next_page("/api/audit", params, found.back().id);
  return json_response(200, body);
}

void add_audit_routes(Server& server, storage::AuditTrail& audit) {
  server.get("/api/audit", [&audit](const Request& req) { return list_audit(audit, req.params); });
}

}  // namespace doorbell::api
