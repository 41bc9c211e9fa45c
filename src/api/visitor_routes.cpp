#include "doorbell/api/visitor_routes.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "doorbell/api/audit_routes.hpp"
#include "doorbell/api/params.hpp"
#include "doorbell/gallery/face_json.hpp"
#include "face_request.hpp"

namespace doorbell::api {
namespace {

using gallery::FaceError;

// A named cluster gives its person this many samples at most: its sharpest, largest faces.
constexpr std::size_t kSamplesFromCluster = 5;
constexpr int kMaxVisitorsListed = 200;
constexpr std::size_t kMaxFacesShown = 200;  // of one visitor, the newest (an ignored one keeps them all)

nlohmann::json or_null(std::int64_t id) {
  return id == 0 ? nlohmann::json(nullptr) : nlohmann::json(id);
}

Response no_visitor(std::int64_t id) {
  return json_error(404, fmt::format("no visitor with id {}", id), "unknown_visitor");
}

AuditChange visitor_change(std::string action, std::int64_t id, std::string detail) {
  return {std::move(action), "visitor", std::to_string(id), fmt::format("Visitor {}", id), std::move(detail)};
}

// "Dana (person 7)" from an answer that names a person ({"person": {"id", "name"}}).
std::string named_person(const Response& answer) {
  const auto person = json_object_of(answer.body).value("person", nlohmann::json::object());
  return fmt::format("{} (person {})", person.value("name", ""), person.value("id", std::int64_t{0}));
}

Response no_face(std::int64_t id) {
  return json_error(404, fmt::format("no face with id {}", id), "unknown_face");
}

storage::NewSample sample_of(gallery::VisitorBook& book, const storage::SeenFace& face) {
  storage::NewSample s;
  s.descriptor = face.descriptor;
  s.sharpness = face.sharpness;
  s.width_px = face.width_px;
  s.source = face.event_id != 0 ? fmt::format("event {}", face.event_id) : "the door";
  s.jpeg = book.crop(face.id).value_or(std::vector<std::uint8_t>());
  return s;
}

// The faces that picture a person best: sharp enough (sharpness counts up to 200) and large.
std::vector<storage::SeenFace> best_faces(std::vector<storage::SeenFace> faces, std::size_t count) {
  const auto score = [](const storage::SeenFace& f) { return std::min(f.sharpness, 200.0) * f.width_px; };
  std::sort(faces.begin(), faces.end(), [&](const auto& a, const auto& b) { return score(a) > score(b); });
  if (faces.size() > count) faces.resize(count);
  return faces;
}

Response named(gallery::VisitorBook& book, gallery::FaceDesk& desk, const nlohmann::json& request,
               const std::vector<storage::SeenFace>& faces) {
  const auto name = name_field(request);
  if (!name) throw FaceError(FaceError::Code::invalid_request, "\"name\" is missing");
  const auto kind = kind_field(request).value_or(model::PersonKind::known);
  std::vector<storage::NewSample> samples;
  for (const auto& f : best_faces(faces, kSamplesFromCluster)) samples.push_back(sample_of(book, f));
  const auto person = desk.enroll(*name, kind, samples);
  std::vector<std::int64_t> ids;
  ids.reserve(faces.size());
  for (const auto& f : faces) ids.push_back(f.id);
  book.name_faces(ids, person);
  return json_response(
      200,
      {{"person", gallery::to_json(person)}, {"faces_named", ids.size()}, {"samples_added", samples.size()}});
}

}  // namespace

nlohmann::json to_json(const storage::VisitorSummary& v) {
  return {{"id", v.id},
          {"name", fmt::format("Visitor {}", v.id)},
          {"ignored", v.ignored},
          {"seen", v.seen},
          {"faces", v.faces},
          {"first_seen", v.first_seen},
          {"last_seen", v.last_seen},
          {"image", v.face_id == 0 ? nlohmann::json(nullptr)
                                   : nlohmann::json(fmt::format("/api/faces/{}.jpg", v.face_id))}};
}

nlohmann::json to_json(const storage::SeenFace& f) {
  return {{"id", f.id},
          {"event_id", or_null(f.event_id)},
          {"position", f.position},
          {"time", f.time},
          {"sharpness", f.sharpness},
          {"width_px", f.width_px},
          {"person_id", or_null(f.person_id)},
          {"visitor_id", or_null(f.visitor_id)},
          {"image", fmt::format("/api/faces/{}.jpg", f.id)}};
}

Response list_visitors(gallery::VisitorBook& book, const Params& params) {
  storage::VisitorQuery q;
  q.since = time_param(params, "since");
  q.until = time_param(params, "until");
  if (const auto ignored = text_param(params, "ignored")) {
    if (*ignored != "true" && *ignored != "false")
      throw BadRequest("query parameter \"ignored\" must be true or false");
    q.ignored = *ignored == "true";
  }
  if (const auto limit = integer_param(params, "limit")) {
    if (*limit < 1 || *limit > kMaxVisitorsListed)
      throw BadRequest(fmt::format("query parameter \"limit\" must be 1 to {}", kMaxVisitorsListed));
    q.limit = static_cast<int>(*limit);
  }
  auto visitors = nlohmann::json::array();
  for (const auto& v : book.list(q)) visitors.push_back(to_json(v));
  return json_response(200, {{"visitors", visitors}});
}

Response get_visitor(gallery::VisitorBook& book, std::int64_t visitor_id) {
  const auto v = book.get(visitor_id);
  if (!v) return no_visitor(visitor_id);
  auto body = to_json(*v);
  auto faces = nlohmann::json::array();
  for (const auto& f : book.faces_of(visitor_id)) {
    if (faces.size() == kMaxFacesShown) break;
    faces.push_back(to_json(f));
  }
  body["face_list"] = faces;
  return json_response(200, body);
}

Response update_visitor(gallery::VisitorBook& book, std::int64_t visitor_id, const std::string& body) {
  return answer([&] {
    const auto request = object_body(body, R"({"ignored": true|false})");
    if (!request.contains("ignored") || !request["ignored"].is_boolean())
      throw FaceError(FaceError::Code::invalid_request, "\"ignored\" must be true or false");
    if (!book.set_ignored(visitor_id, request["ignored"].get<bool>())) return no_visitor(visitor_id);
    return get_visitor(book, visitor_id);
  });
}

Response delete_visitor(gallery::VisitorBook& book, std::int64_t visitor_id) {
  if (!book.remove(visitor_id)) return no_visitor(visitor_id);
  return json_response(200, {{"removed", visitor_id}});
}

Response merge_visitors(gallery::VisitorBook& book, std::int64_t visitor_id, const std::string& body) {
  return answer([&] {
    const auto request = object_body(body, R"({"from": visitor id})");
    if (!request.contains("from") || !request["from"].is_number_integer())
      throw FaceError(FaceError::Code::invalid_request, "\"from\" must be the id of the visitor to merge in");
    const auto from = request["from"].get<std::int64_t>();
    if (from == visitor_id)
      throw FaceError(FaceError::Code::invalid_request, "a visitor cannot be merged with itself");
    if (!book.get(visitor_id)) return no_visitor(visitor_id);
    if (!book.merge(visitor_id, from)) return no_visitor(from);
    return get_visitor(book, visitor_id);
  });
}

Response name_visitor(gallery::VisitorBook& book, gallery::FaceDesk& desk, std::int64_t visitor_id,
                      const std::string& body) {
  return answer([&] {
    const auto request = object_body(body, R"({"name": "...", "kind": "known"|"blacklist"})");
    if (!book.get(visitor_id)) return no_visitor(visitor_id);
    return named(book, desk, request, book.faces_of(visitor_id));
  });
}

Response event_faces(gallery::VisitorBook& book, std::int64_t event_id) {
  auto faces = nlohmann::json::array();
  for (const auto& f : book.faces_of_event(event_id)) faces.push_back(to_json(f));
  return json_response(200, {{"faces", faces}});
}

Response face_crop(gallery::VisitorBook& book, std::int64_t face_id) {
  auto jpeg = book.crop(face_id);
  if (!jpeg) return no_face(face_id);
  return content_response("image/jpeg", std::string(jpeg->begin(), jpeg->end()));
}

Response correct_face(gallery::VisitorBook& book, gallery::FaceDesk& desk, std::int64_t face_id,
                      const std::string& body) {
  return answer([&] {
    const auto request =
        object_body(body, R"({"name": "...", "kind": ...} or {"not": person id} or {"visitor": "new"})");
    const auto face = book.face(face_id);
    if (!face) return no_face(face_id);
    const int given = static_cast<int>(request.contains("name")) + static_cast<int>(request.contains("not")) +
                      static_cast<int>(request.contains("visitor"));
    if (given != 1) {
      throw FaceError(FaceError::Code::invalid_request,
                      "give exactly one of \"name\" (this is ...), \"not\" (this is not ...) or \"visitor\"");
    }
    if (request.contains("name")) return named(book, desk, request, {*face});
    if (request.contains("visitor")) {
      if (request["visitor"] != "new")
        throw FaceError(FaceError::Code::invalid_request, "\"visitor\" must be \"new\"");
      book.split({face_id});
    } else {
      if (!request["not"].is_number_integer())
        throw FaceError(FaceError::Code::invalid_request, "\"not\" must be the id of a person");
      const auto person = desk.find(request["not"].get<std::int64_t>());
      if (!person) {
        throw FaceError(FaceError::Code::unknown_person,
                        fmt::format("no person with id {}", request["not"].get<std::int64_t>()));
      }
      book.reject(face_id, *person);
    }
    return json_response(200, to_json(*book.face(face_id)));
  });
}

void add_visitor_routes(Server& server, gallery::VisitorBook& book, gallery::FaceDesk& desk,
                        storage::AuditTrail& audit) {
  server.get("/api/visitors", [&book](const Request& req) { return list_visitors(book, req.params); });
  server.get(R"(/api/visitors/(\d+))",
             [&book](const Request& req) { return get_visitor(book, path_id(req)); });
  server.patch(R"(/api/visitors/(\d+))", [&book, &audit](const Request& req) {
    const auto id = path_id(req);
    auto out = update_visitor(book, id, req.body);
    const bool ignored = json_object_of(out.body).value("ignored", false);
    return audited(audit, visitor_change(ignored ? "visitor.ignored" : "visitor.unignored", id, ""),
                   std::move(out));
  });
  server.del(R"(/api/visitors/(\d+))", [&book, &audit](const Request& req) {
    const auto id = path_id(req);
    return audited(audit, visitor_change("visitor.deleted", id, ""), delete_visitor(book, id));
  });
  server.post(R"(/api/visitors/(\d+)/merge)", [&book, &audit](const Request& req) {
    const auto id = path_id(req);
    auto out = merge_visitors(book, id, req.body);
    if (out.status != 200) return out;
    const auto from = json_object_of(req.body).value("from", std::int64_t{0});  // an integer: merged
    return audited(audit, visitor_change("visitor.merged", id, fmt::format("Visitor {} merged in", from)),
                   std::move(out));
  });
  server.post(R"(/api/visitors/(\d+)/name)", [&book, &desk, &audit](const Request& req) {
    const auto id = path_id(req);
    auto out = name_visitor(book, desk, id, req.body);
    const auto change = visitor_change("visitor.named", id, "as " + named_person(out));
    return audited(audit, change, std::move(out));
  });
  server.get(R"(/api/events/(\d+)/faces)",
             [&book](const Request& req) { return event_faces(book, path_id(req)); });
  server.get(R"(/api/faces/(\d+)\.jpg)",
             [&book](const Request& req) { return face_crop(book, path_id(req)); });
  server.post(R"(/api/faces/(\d+)/identity)", [&book, &desk, &audit](const Request& req) {
    const auto id = path_id(req);
    const auto request = json_object_of(req.body);
    std::optional<model::Person> rejected;
    if (request.is_object() && request.contains("not") && request["not"].is_number_integer()) {
      rejected = desk.find(request["not"].get<std::int64_t>());
    }
    auto out = correct_face(book, desk, id, req.body);
    AuditChange change{"face.identified", "face", std::to_string(id), "", ""};
    if (rejected) {
      change.action = "face.rejected";
      change.detail = "this is not " + rejected->name;
    } else if (request.is_object() && request.contains("visitor")) {
      change.action = "visitor.split";
      change.detail = "into a visitor of its own";
    } else {
      change.detail = "this is " + named_person(out);
    }
    return audited(audit, change, std::move(out));
  });
}

}  // namespace doorbell::api
