#include "doorbell/http/access.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "doorbell/auth/password.hpp"
#include "header_text.hpp"

namespace doorbell::http {
namespace {

using auth::Role;

bool is_safe_method(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

bool starts_with_scheme(std::string_view value, std::string_view scheme) {
  if (value.size() <= scheme.size() || value[scheme.size()] != ' ') return false;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) !=
        std::tolower(static_cast<unsigned char>(scheme[i])))
      return false;
  }
  return true;
}

bool matches(std::string_view given, const std::string& token) {
  return !token.empty() && auth::same_secret(given, token);
}

// A 429: the address must wait `wait` seconds before trying this kind of credential again.
AccessDecision throttled(int wait, std::string_view what) {
  AccessDecision d;
  d.status = 429;
  d.message = too_many_failures(wait, what);
  d.code = "throttled";
  d.headers.emplace_back("Retry-After", std::to_string(wait));
  return d;
}

}  // namespace

std::string too_many_failures(int wait, std::string_view what) {
  return fmt::format("too many {} from this address: try again in {} s", what, wait);
}

std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semi = header.find(';');
    auto pair = trim_ows(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && trim_ows(pair.substr(0, eq)) == name)
      return trim_ows(pair.substr(eq + 1));
  }
  return std::nullopt;
}

AccessPolicy::AccessPolicy(AccessTokens tokens, const auth::Sessions* sessions, auth::AuthThrottle* throttle)
    : tokens_(std::move(tokens)), sessions_(sessions), throttle_(throttle) {}

AccessDecision AccessPolicy::refuse(int status, std::string message, std::string code) const {
  AccessDecision d;
  d.status = status;
  d.message = std::move(message);
  d.code = std::move(code);
  if (status == 401) d.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"doorbelld\"");
  return d;
}

bool AccessPolicy::any_credential_configured() const {
  return !tokens_.admin.empty() || !tokens_.viewer.empty() || (sessions_ != nullptr && sessions_->any_user());
}

// The principal of the request's credential (allowed), or the refusal of a credential that is wrong.
AccessDecision AccessPolicy::credential_of(const RequestHead& head, std::string_view address,
                                           bool& metrics_token) const {
  AccessDecision d;
  d.allowed = true;
  if (const auto authorization = head.header("authorization")) {
    if (!starts_with_scheme(*authorization, "Bearer")) {
      return refuse(401, "use Authorization: Bearer <token>", "unsupported_scheme");
    }
    if (throttle_ != nullptr) {  // wrong tokens from this address lock tokens out, not its logins
      if (const int wait = throttle_->refuse_for(address, auth::Credential::token); wait > 0) {
        return throttled(wait, "wrong bearer tokens");
      }
    }
    const auto token = trim_ows(authorization->substr(7));
    if (matches(token, tokens_.admin)) {
      d.principal = {Role::admin, "admin token", false, {}};
    } else if (matches(token, tokens_.viewer)) {
      d.principal = {Role::viewer, "viewer token", false, {}};
    } else if (matches(token, tokens_.metrics)) {
      metrics_token = true;
      d.principal = {Role::none, "metrics token", false, {}};
    } else {
      const int lockout = throttle_ != nullptr ? throttle_->fail(address, auth::Credential::token) : 0;
      spdlog::warn("authentication failed from {}: wrong bearer token for {} {}{}", address, head.method,
                   head.path, lockout > 0 ? fmt::format(" (locked out for {} s)", lockout) : "");
      return refuse(401, "wrong bearer token", "wrong_token");
    }
    return d;
  }
  if (const auto cookies = head.header("cookie")) {
    if (const auto id = cookie_value(*cookies, kSessionCookie)) {
      const auto session = sessions_ != nullptr ? sessions_->find(*id) : std::nullopt;
      if (!session) {
        auto r = refuse(401, "the session has expired or was logged out: log in again", "session_expired");
        r.headers.emplace_back(
            "Set-Cookie", fmt::format("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict", kSessionCookie));
        return r;
      }
      d.principal = {session->role, "user " + session->user, true, session->user};
      if (!is_safe_method(head.method)) {
        const auto csrf = head.header(kCsrfHeader);
        if (!csrf || !auth::same_secret(*csrf, session->csrf_token)) {
          spdlog::warn("refused {} {} from {} for user {}: missing or wrong {} header", head.method,
                       head.path, address, session->user, kCsrfHeader);
          return refuse(403, "a request made with a login session needs its X-CSRF-Token header", "csrf");
        }
      }
    }
  }
  return d;
}

AccessDecision AccessPolicy::decide(const RequestHead& head, const RouteSpec& route,
                                    std::string_view address) const {
  const bool metrics_open = route.access == Access::metrics && tokens_.metrics.empty();
  if ((route.access == Access::open && !route.checks_password) || metrics_open) {
    AccessDecision d;
    d.allowed = true;
    return d;
  }
  if (route.access == Access::open) {  // a login: refused early while passwords are locked out
    if (throttle_ != nullptr) {
      if (const int wait = throttle_->refuse_for(address, auth::Credential::password); wait > 0) {
        return throttled(wait, "wrong passwords");
      }
    }
    AccessDecision d;
    d.allowed = true;
    return d;
  }
  bool metrics_token = false;
  auto d = credential_of(head, address, metrics_token);
  if (!d.allowed) return d;
  const auto role = d.principal.role;
  const bool anonymous = d.principal.name.empty();
  bool ok = false;
  switch (route.access) {
    case Access::metrics:
      ok = metrics_token || role == Role::admin;
      break;
    case Access::viewer:
      ok = role == Role::viewer || role == Role::admin;
      break;
    case Access::admin:
      ok = role == Role::admin;
      break;
    case Access::open:
      ok = true;
      break;
  }
  if (ok) return d;
  if (anonymous) {
    if (!any_credential_configured()) {
      return refuse(403,
                    "no credentials are configured: set http.api_token, or create a login with "
                    "\"doorbelld user add NAME\"",
                    "no_credentials");
    }
    return refuse(401,
                  fmt::format("{} {} needs {} credentials: a bearer token or a login", head.method, head.path,
                              to_string(route.access)),
                  "unauthenticated");
  }
  return refuse(403,
                fmt::format("{} {} needs {} credentials; {} is not enough", head.method, head.path,
                            to_string(route.access), d.principal.name),
                "forbidden");
}

}  // namespace doorbell::http
