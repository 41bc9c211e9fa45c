#include "doorbell/api/auth_routes.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <variant>

#include "doorbell/api/audit_routes.hpp"
#include "doorbell/auth/password.hpp"
#include "doorbell/common/names.hpp"
#include "doorbell/http/access.hpp"
#include "doorbell/model/time_text.hpp"

namespace doorbell::api {

using http::cookie_value;
using http::kSessionCookie;
using http::too_many_failures;
namespace {

constexpr std::size_t kMaxUserBytes = 512;

std::string session_cookie(std::string_view value, std::chrono::seconds max_age, bool tls) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", kSessionCookie, value,
                     max_age.count(), tls ? "; Secure" : "");
}

// A request field that must be a string: the value, or the 400 naming the field.
std::variant<std::string, Response> string_field(const nlohmann::json& body, const char* name,
                                                 std::size_t max) {
  if (!body.contains(name)) return json_error(400, fmt::format("\"{}\" is missing", name), "invalid_request");
  const auto& v = body[name];
  if (!v.is_string()) {
    return json_error(400, fmt::format("\"{}\" must be a string, got {}", name, v.type_name()),
                      "invalid_request");
  }
  if (v.get_ref<const std::string&>().size() > max) {
    return json_error(400, fmt::format("\"{}\" is longer than {} bytes", name, max), "invalid_request");
  }
  return v.get<std::string>();
}

}  // namespace

Response login(auth::Sessions& sessions, auth::AuthThrottle* throttle, storage::AuditTrail& audit,
               const Request& req, const RequestContext& context) {
  // A JSON body only: an HTML form on another site cannot send one, so it cannot log a browser in.
  if (req.header("Content-Type").rfind("application/json", 0) != 0) {
    return json_error(415, "send {\"user\": ..., \"password\": ...} as application/json", "invalid_request");
  }
  const auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (!body.is_object()) return json_error(400, "the body must be a JSON object", "invalid_request");
  auto user = string_field(body, "user", kMaxUserBytes);
  if (auto* error = std::get_if<Response>(&user)) return std::move(*error);
  auto password = string_field(body, "password", auth::kMaxPasswordLength);
  if (auto* error = std::get_if<Response>(&password)) return std::move(*error);

  // Counted before the password is checked: however many logins arrive at once, at most
  // auth.max_failures of them are checked in a window.
  int wait = 0;
  auto attempt = throttle != nullptr ? throttle->attempt(context.address, auth::Credential::password, wait)
                                     : std::nullopt;
  if (throttle != nullptr && !attempt) {
    auto out = json_error(429, too_many_failures(wait, "wrong passwords"), "throttled");
    out.headers.emplace_back("Retry-After", std::to_string(wait));
    return out;
  }
  const auto name = normalize_name(std::get<std::string>(user));
  const auto* normalised = std::get_if<std::string>(&name);
  const auto session = sessions.login(normalised != nullptr ? *normalised : std::string(),
                                      std::get<std::string>(password), context.address);
  // In the audit trail: each password checked (at most auth.max_failures per window) and each lockout;
  // not the 429s, which cost nothing and could flood it. A name that is no user's is not written down,
  // in the trail or the log: it may be a password typed into the wrong field.
  if (!session) {
    const int lockout = attempt ? attempt->failed() : 0;
    const auto tried = normalised != nullptr ? sessions.user_named(*normalised) : std::nullopt;
    const auto who = tried.value_or("(no such user)");
    spdlog::warn("login failed from {} as {}{}", context.address, tried ? fmt::format("\"{}\"", *tried) : who,
                 lockout > 0 ? fmt::format(" (locked out for {} s)", lockout) : "");
    const storage::AuditActor anonymous{"anonymous", "anonymous", context.address};
    audit.record({.actor = anonymous,
                  .action = "login.failed",
                  .object_type = "user",
                  .object_name = who,
                  .detail = "wrong user name or password"});
    if (lockout > 0) {
      audit.record({.actor = anonymous,
                    .action = "login.locked",
                    .object_type = "user",
                    .object_name = who,
                    .detail = fmt::format("passwords from {} refused for {} s", context.address, lockout)});
    }
    return json_error(401, "wrong user name or password", "wrong_password");
  }
  spdlog::info("user {} logged in from {}", session->session.user, context.address);
  audit.record({.actor = {session->session.user, "session", context.address},
                .action = "login.succeeded",
                .object_type = "user",
                .object_name = session->session.user,
                .detail = to_string(session->session.role)});
  auto out = json_response(200, {{"user", session->session.user},
                                 {"role", to_string(session->session.role)},
                                 {"csrf_token", session->session.csrf_token},
                                 {"expires_at", model::iso_time(session->session.expires)}});
  out.headers.emplace_back("Set-Cookie", session_cookie(session->id, sessions.lifetime(), context.tls));
  return out;
}

Response logout(auth::Sessions& sessions, storage::AuditTrail& audit, const Request& req,
                const RequestContext& context) {
  const auto cookies = req.header("Cookie");
  const auto id = cookie_value(cookies, kSessionCookie);
  const bool had_session = context.principal.via_session && id;
  if (had_session) {
    sessions.logout(*id);
    spdlog::info("user {} logged out", context.principal.user);
    audit.record({.actor = audit_actor(context),
                  .action = "login.ended",
                  .object_type = "user",
                  .object_name = context.principal.user,
                  .detail = "logged out"});
  }
  auto out = json_response(200, {{"logged_out", had_session}});
  out.headers.emplace_back("Set-Cookie", session_cookie("", std::chrono::seconds(0), context.tls));
  return out;
}

Response session_info(auth::Sessions& sessions, const Request& req, const RequestContext& context) {
  const auto& p = context.principal;
  nlohmann::json body{
      {"name", p.name}, {"role", to_string(p.role)}, {"via", p.via_session ? "session" : "token"}};
  if (p.via_session) {
    const auto cookies = req.header("Cookie");  // `id` views into it: it must outlive the lookup
    const auto id = cookie_value(cookies, kSessionCookie);
    if (const auto session = id ? sessions.find(*id) : std::nullopt) {
      body["user"] = session->user;
      body["csrf_token"] = session->csrf_token;
      body["expires_at"] = model::iso_time(session->expires);
    }
  }
  return json_response(200, body);
}

void add_auth_routes(Server& server, auth::Sessions& sessions, auth::AuthThrottle* throttle,
                     storage::AuditTrail& audit) {
  server.post("/api/login", [&sessions, throttle, &audit](const Request& req) {
    return login(sessions, throttle, audit, req, request_context());
  });
  server.post("/api/logout", [&sessions, &audit](const Request& req) {
    return logout(sessions, audit, req, request_context());
  });
  server.get("/api/session",
             [&sessions](const Request& req) { return session_info(sessions, req, request_context()); });
}

}  // namespace doorbell::api
