#include "doorbell/http/face_routes.hpp"

#include <fmt/format.h>

#include "doorbell/gallery/face_json.hpp"
#include "doorbell/http/params.hpp"

namespace doorbell::http {
namespace {

using gallery::FaceError;

// Runs a route body, answering a FaceError with its own status and code.
template <class Fn>
Response answer(Fn&& fn) {
  try {
    return fn();
  } catch (const FaceError& e) {
    return json_error(e.http_status(), e.what(), e.name());
  }
}

constexpr std::size_t kMaxImagesPerRequest = 32;

// The uploaded images: every multipart file, or the raw body.
std::vector<gallery::ImageInput> images_of(const httplib::Request& req) {
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

}  // namespace

Response list_people(gallery::FaceDesk& desk) {
  auto people = nlohmann::json::array();
  for (const auto& s : desk.list()) people.push_back(gallery::to_json(s));
  return json_response(200, {{"people", people}});
}

Response create_person(gallery::FaceDesk& desk, const std::string& body) {
  return answer([&] {
    const auto request = nlohmann::json::parse(body, nullptr, false);
    if (!request.is_object()) {
      throw FaceError(FaceError::Code::invalid_request,
                      R"(expected a JSON object: {"name": "...", "kind": "known"|"blacklist"})");
    }
    if (!request.contains("name") || !request["name"].is_string()) {
      throw FaceError(FaceError::Code::invalid_request,
                      fmt::format("\"name\" must be a string, got {}",
                                  request.contains("name") ? request["name"].type_name() : "nothing"));
    }
    if (request.contains("kind") && !request["kind"].is_string()) {
      throw FaceError(FaceError::Code::invalid_request,
                      fmt::format("\"kind\" must be a string, got {}", request["kind"].type_name()));
    }
    const auto kind_text = request.value("kind", std::string("known"));
    if (kind_text != "known" && kind_text != "blacklist") {
      throw FaceError(FaceError::Code::invalid_request, "\"kind\" must be \"known\" or \"blacklist\"");
    }
    const auto kind = kind_text == "known" ? gallery::PersonKind::known : gallery::PersonKind::blacklist;
    return json_response(201, gallery::to_json(desk.create_person(request["name"].get<std::string>(), kind)));
  });
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

void add_face_routes(Server& server, gallery::FaceDesk& desk) {
  server.get("/api/people", [&desk](const httplib::Request&) { return list_people(desk); });
  server.post("/api/people", [&desk](const httplib::Request& req) { return create_person(desk, req.body); });
  server.post(R"(/api/people/(\d+)/faces)", [&desk](const httplib::Request& req) {
    return answer([&] { return add_faces(desk, path_id(req), images_of(req)); });
  });
  server.del(R"(/api/people/(\d+))",
             [&desk](const httplib::Request& req) { return delete_person(desk, path_id(req)); });
  server.post("/api/identify", [&desk](const httplib::Request& req) {
    return answer([&] {
      const auto images = images_of(req);
      if (images.size() != 1) throw FaceError(FaceError::Code::invalid_request, "send one image");
      return identify(desk, images.front());
    });
  });
}

}  // namespace doorbell::http
