#pragma once
// AccessPolicy: decides, from a request's head alone (before its body is read), whether it may reach its
// route: the route's access level (route_table.hpp) against the request's credential — a bearer token
// (admin, viewer, or the metrics scraper's) or a login session cookie, whose unsafe requests must also
// carry the session's CSRF token. Wrong tokens count against the client's address (AuthThrottle) and
// are logged without the token. Thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "doorbell/auth/principal.hpp"
#include "doorbell/auth/sessions.hpp"
#include "doorbell/auth/throttle.hpp"
#include "doorbell/common/temporary_string.hpp"
#include "doorbell/http/request_head.hpp"
#include "doorbell/http/route_table.hpp"

namespace doorbell::http {

inline constexpr std::string_view kSessionCookie = "doorbell_session";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

struct AccessTokens {
  std::string admin;    // http.api_token
  std::string viewer;   // http.viewer_token
  std::string metrics;  // http.metrics_token
};

struct AccessDecision {
  bool allowed = false;
  auth::Principal principal;
  // When refused: the status (401, 403 or 429), message and code of the JSON error, and headers.
  int status = 0;
  std::string message;
  std::string code;
  std::vector<std::pair<std::string, std::string>> headers;
};

class AccessPolicy {
 public:
  // `sessions` and `throttle` may be null (no logins; no throttling). Both must outlive the policy.
  AccessPolicy(AccessTokens tokens, const auth::Sessions* sessions, auth::AuthThrottle* throttle);

  AccessDecision decide(const RequestHead& head, const RouteSpec& route, std::string_view address) const;

  auth::AuthThrottle* throttle() const noexcept { return throttle_; }

 private:
  AccessDecision refuse(int status, std::string message, std::string code) const;
  AccessDecision credential_of(const RequestHead& head, std::string_view address, bool& metrics_token) const;
  bool any_credential_configured() const;

  const AccessTokens tokens_;
  const auth::Sessions* sessions_;
  auth::AuthThrottle* throttle_;
};

// The value of a cookie in a Cookie header, if present.
// "too many wrong passwords from this address: try again in 60 s" (`what`: "wrong passwords").
std::string too_many_failures(int wait, std::string_view what);

// A view into `cookie_header`: keep the header alive while using it (a temporary does not compile).
std::optional<std::string_view> cookie_value(std::string_view cookie_header, std::string_view name);
template <TemporaryString S>
std::optional<std::string_view> cookie_value(S&& cookie_header, std::string_view name) = delete;

}  // namespace doorbell::http
