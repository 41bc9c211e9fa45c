#include "face_request.hpp"

#include <fmt/format.h>

namespace doorbell::api {

using gallery::FaceError;

nlohmann::json object_body(const std::string& body, const char* expected) {
  auto request = nlohmann::json::parse(body, nullptr, false);
  if (!request.is_object())
    throw FaceError(FaceError::Code::invalid_request, fmt::format("expected a JSON object: {}", expected));
  return request;
}

std::optional<std::string> name_field(const nlohmann::json& request) {
  if (!request.contains("name")) return std::nullopt;
  if (!request["name"].is_string()) {
    throw FaceError(FaceError::Code::invalid_request,
                    fmt::format("\"name\" must be a string, got {}", request["name"].type_name()));
  }
  return request["name"].get<std::string>();
}

std::optional<model::PersonKind> kind_field(const nlohmann::json& request) {
  if (!request.contains("kind")) return std::nullopt;
  const auto& kind = request["kind"];
  if (!kind.is_string()) {
    throw FaceError(FaceError::Code::invalid_request,
                    fmt::format("\"kind\" must be a string, got {}", kind.type_name()));
  }
  if (kind == "known") return model::PersonKind::known;
  if (kind == "blacklist") return model::PersonKind::blacklist;
  throw FaceError(FaceError::Code::invalid_request, "\"kind\" must be \"known\" or \"blacklist\"");
}

}  // namespace doorbell::api
