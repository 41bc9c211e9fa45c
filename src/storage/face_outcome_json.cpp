#include "doorbell/storage/face_outcome_json.hpp"

#include <cmath>
#include <limits>

namespace doorbell::storage {

using nlohmann::json;

nlohmann::json distance_json(double distance) {
  return std::isfinite(distance) ? json(distance) : json(nullptr);
}

nlohmann::json sighting_json(const model::Sighting& visitor) {
  json out{{"id", visitor.visitor_id}, {"ignored", visitor.ignored}};
  if (visitor.seen > 0) out["seen"] = visitor.seen;
  return out;
}

nlohmann::json faces_json(std::span<const model::FaceOutcome> faces) {
  auto out = json::array();
  for (const auto& f : faces) {
    json face{{"result", model::to_string(f.verdict)},
              {"distance", distance_json(f.distance)},
              {"votes", f.votes},
              {"frames", f.frames},
              {"box", {{"x", f.box.x}, {"y", f.box.y}, {"width", f.box.width}, {"height", f.box.height}}}};
    if (!f.name.empty()) face["name"] = f.name;
    if (f.visitor) face["visitor"] = sighting_json(*f.visitor);
    if (f.corrected) face["corrected"] = true;
    out.push_back(std::move(face));
  }
  return out;
}

std::vector<model::FaceOutcome> faces_from_json(const nlohmann::json& array) {
  std::vector<model::FaceOutcome> out;
  for (const auto& j : array) {
    auto& f = out.emplace_back();
    f.verdict = model::parse_verdict(j.value("result", "")).value_or(model::Verdict::unknown);
    f.name = j.value("name", "");
    const auto distance = j.find("distance");
    f.distance = distance != j.end() && distance->is_number() ? distance->get<double>()
                                                              : std::numeric_limits<double>::infinity();
    f.votes = j.value("votes", std::size_t{0});
    f.frames = j.value("frames", std::size_t{0});
    if (const auto box = j.find("box"); box != j.end()) {
      f.box = {box->value("x", 0), box->value("y", 0), box->value("width", 0), box->value("height", 0)};
    }
    if (const auto v = j.find("visitor"); v != j.end() && v->is_object()) {
      f.visitor = model::Sighting{v->value("id", model::VisitorId{0}), v->value("seen", std::int64_t{0}),
                                  v->value("ignored", false)};
    }
    f.corrected = j.value("corrected", false);
  }
  return out;
}

}  // namespace doorbell::storage
