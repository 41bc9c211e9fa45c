#include "doorbell/http/auth.hpp"

namespace doorbell::http {
namespace {

// Compares in time independent of where the strings differ.
bool same_secret(std::string_view given, std::string_view token) {
  if (given.size() != token.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ token[i]);
  return diff == 0;
}

}  // namespace

std::optional<Response> authorize(std::string_view authorization, const std::string& token) {
  if (token.empty())
    return json_error(403, "http.api_token is not set: routes that change state are disabled");
  constexpr std::string_view kBearer = "Bearer ";
  if (!authorization.starts_with(kBearer) || !same_secret(authorization.substr(kBearer.size()), token)) {
    return json_error(401, "missing or wrong API token (Authorization: Bearer <token>)");
  }
  return std::nullopt;
}

Server::Handler require_token(const std::string& token, Server::Handler route) {
  return [&token, route = std::move(route)](const httplib::Request& req) -> Response {
    if (auto denied = authorize(req.get_header_value("Authorization"), token)) return *denied;
    return route(req);
  };
}

}  // namespace doorbell::http
