#include "doorbell/http/response.hpp"

namespace doorbell::http {

Response json_response(int status, const nlohmann::json& body) {
  return {status, "application/json", body.dump()};
}

Response json_error(int status, std::string_view message) {
  return json_response(status, {{"error", {{"status", status}, {"message", message}}}});
}

}  // namespace doorbell::http
