#pragma once
// Familiar faces over HTTP (access levels in the route table): visitor clusters — GET /api/visitors
// (seen between two dates, ignored or not), GET/PATCH/DELETE /api/visitors/{id}, POST
// /api/visitors/{id}/merge, POST /api/visitors/{id}/name — and the faces seen at the door — GET
// /api/events/{id}/faces, GET /api/faces/{id}.jpg, POST /api/faces/{id}/identity ("this is Sam", "this
// is not Dana", "not this visitor"). Plain functions of their inputs plus their registration. Thread-safe.

#include <cstdint>
#include <string>

#include "doorbell/api/transport.hpp"
#include "doorbell/gallery/face_desk.hpp"
#include "doorbell/gallery/visitor_book.hpp"
#include "doorbell/storage/audit_trail.hpp"

namespace doorbell::api {

Response list_visitors(gallery::VisitorBook& book, const Params& params);
Response get_visitor(gallery::VisitorBook& book, std::int64_t visitor_id);
Response update_visitor(gallery::VisitorBook& book, std::int64_t visitor_id, const std::string& body);
Response delete_visitor(gallery::VisitorBook& book, std::int64_t visitor_id);
Response merge_visitors(gallery::VisitorBook& book, std::int64_t visitor_id, const std::string& body);
// The cluster's best faces become samples of the person named (created if needed); every face of it is
// relabelled as them, in its events too.
Response name_visitor(gallery::VisitorBook& book, gallery::FaceDesk& desk, std::int64_t visitor_id,
                      const std::string& body);
Response event_faces(gallery::VisitorBook& book, std::int64_t event_id);
Response face_crop(gallery::VisitorBook& book, std::int64_t face_id);
// One of {"name": "Sam", "kind": ...} (enrol the face as Sam), {"not": person id} (a negative of theirs;
// the face joins the visitors) or {"visitor": "new"} (out of its cluster into a new one).
Response correct_face(gallery::VisitorBook& book, gallery::FaceDesk& desk, std::int64_t face_id,
                      const std::string& body);

// Changes are recorded in `audit`.
void add_visitor_routes(Server& server, gallery::VisitorBook& book, gallery::FaceDesk& desk,
                        storage::AuditTrail& audit);

nlohmann::json to_json(const storage::VisitorSummary& visitor);
nlohmann::json to_json(const storage::SeenFace& face);

}  // namespace doorbell::api
