#pragma once
// The API token check for routes that change state. Stateless; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "doorbell/http/response.hpp"
#include "doorbell/http/server.hpp"

namespace doorbell::http {

// Empty when `authorization` is "Bearer <token>"; otherwise the 401 (or 403: no token configured).
std::optional<Response> authorize(std::string_view authorization, const std::string& token);

// `route`, answered only for requests carrying the token. `token` must outlive the handler.
Server::Handler require_token(const std::string& token, Server::Handler route);

}  // namespace doorbell::http
