#pragma once
// The gallery and identification API: GET/POST /api/people, POST /api/people/{id}/faces,
// DELETE /api/people/{id}, POST /api/identify. Routes that change the gallery need the API token.
// Plain functions of their inputs (testable without a socket) plus their registration. Thread-safe.

#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>

#include "doorbell/faces/face_desk.hpp"
#include "doorbell/http/auth.hpp"
#include "doorbell/http/response.hpp"
#include "doorbell/http/server.hpp"

namespace doorbell::http {

Response list_people(faces::FaceDesk& desk);
Response create_person(faces::FaceDesk& desk, const std::string& body);
Response add_faces(faces::FaceDesk& desk, std::int64_t person_id, std::span<const faces::ImageInput> images);
Response delete_person(faces::FaceDesk& desk, std::int64_t person_id);
Response identify(faces::FaceDesk& desk, const faces::ImageInput& image);

void add_face_routes(Server& server, faces::FaceDesk& desk, const std::string& api_token);

}  // namespace doorbell::http
