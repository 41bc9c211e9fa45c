#include "doorbell/http/response.hpp"

namespace doorbell::http {

Response json_response(int status, const nlohmann::json& body) {
  return {status, "application/json", body.dump()};
}

Response json_error(int status, std::string_view message, std::string_view code) {
  nlohmann::json error{{"status", status}, {"message", message}};
  if (!code.empty()) error["code"] = code;
  return json_response(status, {{"error", std::move(error)}});
}

}  // namespace doorbell::http
