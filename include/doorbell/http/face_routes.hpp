#pragma once
// The gallery and identification API: GET/POST /api/people, POST /api/people/{id}/faces,
// DELETE /api/people/{id}, POST /api/identify (access levels in the route table).
// Plain functions of their inputs (testable without a socket) plus their registration. Thread-safe.

#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>

#include "doorbell/faces/face_desk.hpp"
#include "doorbell/http/response.hpp"
#include "doorbell/http/server.hpp"

namespace doorbell::http {

Response list_people(faces::FaceDesk& desk);
Response create_person(faces::FaceDesk& desk, const std::string& body);
Response add_faces(faces::FaceDesk& desk, std::int64_t person_id, std::span<const faces::ImageInput> images);
Response delete_person(faces::FaceDesk& desk, std::int64_t person_id);
Response identify(faces::FaceDesk& desk, const faces::ImageInput& image);

void add_face_routes(Server& server, faces::FaceDesk& desk);

}  // namespace doorbell::http
