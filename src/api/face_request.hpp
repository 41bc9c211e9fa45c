#pragma once
// What the face and visitor routes read from a request — a JSON object body, a person's name and kind —
// each refused with a FaceError (invalid_request) saying what was expected; and `answer`, which turns a
// FaceError into its 4xx JSON. Stateless.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "doorbell/api/transport.hpp"
#include "doorbell/gallery/face_service.hpp"

namespace doorbell::api {

// Runs a route body, answering a FaceError with its own status and code.
template <class Fn>
Response answer(Fn&& fn) {
  try {
    return fn();
  } catch (const gallery::FaceError& e) {
    return json_error(e.http_status(), e.what(), e.name());
  }
}

// The body as a JSON object; `expected` describes one in the error.
nlohmann::json object_body(const std::string& body, const char* expected);
std::optional<std::string> name_field(const nlohmann::json& request);
std::optional<model::PersonKind> kind_field(const nlohmann::json& request);

}  // namespace doorbell::api
