#pragma once
// The audit trail over HTTP: GET /api/audit (admin; newest first, paged by id, filtered by action or
// object type, actor, object and dates), and what the routes that change state use to record themselves:
// the actor of the current request and audited(), which records an entry when the answer is a success.
// Plain functions plus their registration. Thread-safe.

#include <string>

#include "doorbell/api/transport.hpp"
#include "doorbell/storage/audit_trail.hpp"

namespace doorbell::api {

// Who the request comes from, as the audit trail names them: the login's user, the token's kind.
storage::AuditActor audit_actor(const RequestContext& context);

// What a change did: its action and object; the actor comes from the current request.
struct AuditChange {
  std::string action;
  std::string object_type;
  std::string object_id;
  std::string object_name;
  std::string detail;
};

// `text` parsed when it is a JSON object, else an empty object: what a request or an answer says, read
// for the record after the route has judged it.
nlohmann::json json_object_of(std::string_view text);

// Records `change` in `audit` when `answer` is a success (2xx).
void record_success(storage::AuditTrail& audit, const AuditChange& change, const Response& answer);
// The same, returning the answer.
Response audited(storage::AuditTrail& audit, const AuditChange& change, Response answer);

Response list_audit(storage::AuditTrail& audit, const Params& params);

nlohmann::json to_json(const storage::AuditEntry& entry);

void add_audit_routes(Server& server, storage::AuditTrail& audit);

}  // namespace doorbell::api
