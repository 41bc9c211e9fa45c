#include "doorbell/api/face_routes.hpp"

#include <fmt/format.h>

#include "doorbell/api/audit_routes.hpp"
#include "doorbell/api/params.hpp"
#include "doorbell/gallery/face_json.hpp"
#include "face_request.hpp"

namespace doorbell::api {
namespace {

using gallery::FaceError;

constexpr std::size_t kMaxImagesPerRequest = 32;

// The uploaded images: every multipart file, or the raw body.
std::vector<gallery::ImageInput> images_of(const Request& req) {
  std::vector<gallery::ImageInput> images;
  for (const auto& [field, file] : req.files) {
    images.push_back({file.filename.empty() ? field : file.filename,
                      {reinterpret_cast<const std::uint8_t*>(file.content.data()), file.content.size()}});
  }
  if (images.empty() && !req.body.empty()) {
    images.push_back({"upload", {reinterpret_cast<const std::uint8_t*>(req.body.data()), req.body.size()}});
  }
  if (images.empty()) {
    throw FaceError(FaceError::Code::invalid_request,
                    "send the image as the request body or as multipart/form-data files");
  }
  if (images.size() > kMaxImagesPerRequest) {
    throw FaceError(FaceError::Code::invalid_request, fmt::format("at most {} images in one request, got {}",
                                                                  kMaxImagesPerRequest, images.size()));
  }
  return images;
}

constexpr const char* kPersonBody = R"({"name": "...", "kind": "known"|"blacklist"})";

// A change to the person an answer shows ({"id", "name", ...}).
AuditChange person_change(std::string action, const nlohmann::json& person, std::string detail) {
  const auto id = person.value("id", std::int64_t{0});
  return {std::move(action), "person", id != 0 ? std::to_string(id) : "", person.value("name", ""),
          std::move(detail)};
}

}  // namespace

Response list_people(gallery::FaceDesk& desk) {
  auto people = nlohmann::json::array();
  for (const auto& s : desk.list()) people.push_back(gallery::to_json(s));
  return json_response(200, {{"people", people}});
}

Response create_person(gallery::FaceDesk& desk, const std::string& body) {
  return answer([&] {
    const auto request = object_body(body, kPersonBody);
    const auto name = name_field(request);
    if (!name) throw FaceError(FaceError::Code::invalid_request, "\"name\" is missing");
    const auto kind = kind_field(request).value_or(model::PersonKind::known);
    return json_response(201, gallery::to_json(desk.create_person(*name, kind)));
  });
}

Response update_person(gallery::FaceDesk& desk, std::int64_t person_id, const std::string& body) {
  return answer([&] {
    const auto request = object_body(body, kPersonBody);
    const auto name = name_field(request);
    const auto kind = kind_field(request);
    if (!name && !kind)
      throw FaceError(FaceError::Code::invalid_request, "give a \"name\", a \"kind\" or both");
    return json_response(200, gallery::to_json(desk.update(person_id, name, kind)));
  });
}

Response list_samples(gallery::FaceDesk& desk, std::int64_t person_id) {
  return answer([&] {
    auto samples = nlohmann::json::array();
    for (const auto& s : desk.samples(person_id)) samples.push_back(gallery::to_json(s, person_id));
    return json_response(200, {{"samples", samples}});
  });
}

Response sample_image(gallery::FaceDesk& desk, std::int64_t person_id, std::int64_t sample_id) {
  auto jpeg = desk.sample_image(person_id, sample_id);
  if (!jpeg)
    return json_error(404, fmt::format("person {} has no sample {}", person_id, sample_id), "unknown_sample");
  return content_response("image/jpeg", std::move(*jpeg));  // no-store: ids are reused after a removal
}

Response delete_sample(gallery::FaceDesk& desk, std::int64_t person_id, std::int64_t sample_id) {
  if (!desk.remove_sample(person_id, sample_id))
    return json_error(404, fmt::format("person {} has no sample {}", person_id, sample_id), "unknown_sample");
  return json_response(200, {{"removed", sample_id}});
}

Response add_faces(gallery::FaceDesk& desk, std::int64_t person_id,
                   std::span<const gallery::ImageInput> images) {
  return answer([&] {
    const auto person = desk.add_faces(person_id, images);
    return json_response(201, {{"person", gallery::to_json(person)}, {"samples_added", images.size()}});
  });
}

Response delete_person(gallery::FaceDesk& desk, std::int64_t person_id) {
  if (!desk.remove(person_id))
    return json_error(404, fmt::format("no person with id {}", person_id), "unknown_person");
  return json_response(200, {{"removed", person_id}});
}

Response identify(gallery::FaceDesk& desk, const gallery::ImageInput& image) {
  return answer([&] {
    auto found = nlohmann::json::array();
    for (const auto& f : desk.identify(image)) found.push_back(gallery::to_json(f));
    return json_response(200, {{"faces", found}});
  });
}

void add_face_routes(Server& server, gallery::FaceDesk& desk, storage::AuditTrail& audit) {
  server.get("/api/people", [&desk](const Request&) { return list_people(desk); });
  server.post("/api/people", [&desk, &audit](const Request& req) {
    auto out = create_person(desk, req.body);
    const auto person = json_object_of(out.body);
    return audited(audit, person_change("person.created", person, person.value("kind", "")), std::move(out));
  });
  server.post(R"(/api/people/(\d+)/faces)", [&desk, &audit](const Request& req) {
    return answer([&] {
      const auto images = images_of(req);
      auto out = add_faces(desk, path_id(req), images);
      const auto body = json_object_of(out.body);
      return audited(audit,
                     person_change("sample.added", body.value("person", nlohmann::json::object()),
                                   fmt::format("{} photo(s)", images.size())),
                     std::move(out));
    });
  });
  server.del(R"(/api/people/(\d+))", [&desk, &audit](const Request& req) {
    const auto id = path_id(req);
    const auto person = desk.find(id);
    return audited(audit, {"person.removed", "person", std::to_string(id), person ? person->name : "", ""},
                   delete_person(desk, id));
  });
  server.patch(R"(/api/people/(\d+))", [&desk, &audit](const Request& req) {
    const auto id = path_id(req);
    const auto before = desk.find(id);
    auto out = update_person(desk, id, req.body);
    const auto after = json_object_of(out.body);
    if (before && after.value("name", before->name) != before->name) {
      record_success(audit, person_change("person.renamed", after, "was " + before->name), out);
    }
    if (before && after.value("kind", "") != std::string(to_string(before->kind))) {
      record_success(audit,
                     person_change("person.moved", after,
                                   fmt::format("{} → {}", to_string(before->kind), after.value("kind", ""))),
                     out);
    }
    return out;
  });
  server.get(R"(/api/people/(\d+)/faces)",
             [&desk](const Request& req) { return list_samples(desk, path_id(req)); });
  server.get(R"(/api/people/(\d+)/faces/(\d+)\.jpg)",
             [&desk](const Request& req) { return sample_image(desk, path_id(req), path_id(req, 2)); });
  server.del(R"(/api/people/(\d+)/faces/(\d+))", [&desk, &audit](const Request& req) {
    const auto id = path_id(req);
    const auto sample = path_id(req, 2);
    const auto person = desk.find(id);
    return audited(audit,
                   {"sample.removed", "person", std::to_string(id), person ? person->name : "",
                    fmt::format("photo {}", sample)},
                   delete_sample(desk, id, sample));
  });
  server.post("/api/identify", [&desk](const Request& req) {
    return answer([&] {
      const auto images = images_of(req);
      if (images.size() != 1) throw FaceError(FaceError::Code::invalid_request, "send one image");
      return identify(desk, images.front());
    });
  });
}

}  // namespace doorbell::api
