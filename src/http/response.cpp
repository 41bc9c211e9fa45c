#include "doorbell/http/response.hpp"

#include "doorbell/common/json_text.hpp"

namespace doorbell::http {

Response content_response(std::string_view content_type, std::string body) {
  Response r;
  r.content_type = content_type;
  r.body = std::move(body);
  return r;
}

Response json_response(int status, const nlohmann::json& body) {
  auto r = content_response("application/json", json_text(body));
  r.status = status;
  return r;
}

Response json_error(int status, std::string_view message, std::string_view code) {
  nlohmann::json error{{"status", status}, {"message", message}};
  if (!code.empty()) error["code"] = code;
  return json_response(status, {{"error", std::move(error)}});
}

}  // namespace doorbell::http
