#pragma once
// Response: what a route returns — status, content type and body — independent of the HTTP library,
// so routes are plain functions testable without a socket. A value type.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace doorbell::http {

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

Response json_response(int status, const nlohmann::json& body);
// {"error": {"status": 404, "message": "...", "code": "..."}}; code only when given.
Response json_error(int status, std::string_view message, std::string_view code = {});

}  // namespace doorbell::http
