#pragma once
// The gallery and identification API: GET/POST /api/people, PATCH/DELETE /api/people/{id},
// GET/POST /api/people/{id}/faces, GET /api/people/{id}/faces/{sample}.jpg,
// DELETE /api/people/{id}/faces/{sample}, POST /api/identify (access levels in the route table).
// Plain functions of their inputs (testable without a socket) plus their registration. Thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "doorbell/api/transport.hpp"
#include "doorbell/gallery/face_desk.hpp"
#include "doorbell/storage/audit_trail.hpp"

namespace doorbell::api {

Response list_people(gallery::FaceDesk& desk);
Response create_person(gallery::FaceDesk& desk, const std::string& body);
Response add_faces(gallery::FaceDesk& desk, std::int64_t person_id,
                   std::span<const gallery::ImageInput> images);
Response delete_person(gallery::FaceDesk& desk, std::int64_t person_id);
Response update_person(gallery::FaceDesk& desk, std::int64_t person_id,
                       const std::string& body);  // name, kind
Response list_samples(gallery::FaceDesk& desk, std::int64_t person_id);
Response sample_image(gallery::FaceDesk& desk, std::int64_t person_id, std::int64_t sample_id);
Response delete_sample(gallery::FaceDesk& desk, std::int64_t person_id, std::int64_t sample_id);
Response identify(gallery::FaceDesk& desk, const gallery::ImageInput& image);

// Changes are recorded in `audit`.
void add_face_routes(Server& server, gallery::FaceDesk& desk, storage::AuditTrail& audit);

}  // namespace doorbell::api
