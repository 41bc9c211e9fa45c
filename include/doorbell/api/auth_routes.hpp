#pragma once
// Logins over HTTP: POST /api/login (JSON user and password → a session cookie, HttpOnly and
// SameSite=Strict, Secure under TLS, and the session's CSRF token), POST /api/logout, GET /api/session
// (who is asking, and the CSRF token again after a page reload). Plain functions plus their
// registration. Thread-safe.

#include "doorbell/api/transport.hpp"
#include "doorbell/auth/sessions.hpp"
#include "doorbell/auth/throttle.hpp"
#include "doorbell/storage/audit_trail.hpp"

namespace doorbell::api {

// `throttle` may be null. Logins (each password checked, each lockout) and logouts are recorded in `audit`.
Response login(auth::Sessions& sessions, auth::AuthThrottle* throttle, storage::AuditTrail& audit,
               const Request& req, const RequestContext& context);
Response logout(auth::Sessions& sessions, storage::AuditTrail& audit, const Request& req,
                const RequestContext& context);
Response session_info(auth::Sessions& sessions, const Request& req, const RequestContext& context);

void add_auth_routes(Server& server, auth::Sessions& sessions, auth::AuthThrottle* throttle,
                     storage::AuditTrail& audit);

}  // namespace doorbell::api
