#pragma once
// Response: what a route returns — status, content type and body (or a body streamed piece by piece) —
// independent of the HTTP library, so routes are plain functions testable without a socket. A value type.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace doorbell::http {

struct Response {
  // Writes one piece of a streamed body; false once the client is gone.
  using Write = std::function<bool(std::string_view)>;

  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Set-Cookie
  // When set, the body is this instead: it writes pieces until it returns (a long-lived response).
  std::function<void(const Write&)> stream;
};

Response content_response(std::string_view content_type, std::string body);  // 200
Response json_response(int status, const nlohmann::json& body);
// {"error": {"status": 404, "message": "...", "code": "..."}}; code only when given.
Response json_error(int status, std::string_view message, std::string_view code = {});

}  // namespace doorbell::http
