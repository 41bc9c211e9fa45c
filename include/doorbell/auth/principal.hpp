#pragma once
// Who a request comes from: the role its credential grants (a bearer token or a login session) and a
// name for logs ("admin token", "user dana"). Value types.

#include <optional>
#include <string>
#include <string_view>

namespace doorbell::auth {

enum class Role { none, viewer, admin };
const char* to_string(Role role) noexcept;
// "viewer" or "admin"; empty for anything else.
std::optional<Role> parse_role(std::string_view text) noexcept;

struct Principal {
  Role role = Role::none;
  std::string name;          // for logs; empty for anonymous requests
  bool via_session = false;  // a login session (cookie): mutating requests need its CSRF token
  std::string user;          // the login's name when via_session
};

}  // namespace doorbell::auth
