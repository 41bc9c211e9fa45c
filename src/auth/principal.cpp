#include "doorbell/auth/principal.hpp"

namespace doorbell::auth {

const char* to_string(Role role) noexcept {
  switch (role) {
    case Role::viewer:
      return "viewer";
    case Role::admin:
      return "admin";
    case Role::none:
      break;
  }
  return "none";
}

std::optional<Role> parse_role(std::string_view text) noexcept {
  if (text == "viewer") return Role::viewer;
  if (text == "admin") return Role::admin;
  return std::nullopt;
}

}  // namespace doorbell::auth
