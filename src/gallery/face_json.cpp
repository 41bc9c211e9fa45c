#include "doorbell/gallery/face_json.hpp"

#include <fmt/format.h>

namespace doorbell::gallery {
namespace {

std::string sample_image_path(std::int64_t person_id, std::int64_t sample_id) {
  return fmt::format("/api/people/{}/faces/{}.jpg", person_id, sample_id);
}

}  // namespace

nlohmann::json to_json(const model::Person& person) {
  return {{"id", person.id}, {"name", person.name}, {"kind", to_string(person.kind)}};
}

nlohmann::json to_json(const storage::PersonSummary& summary) {
  auto j = to_json(summary.person);
  j["samples"] = summary.samples;
  j["created_at"] = summary.created_at;
  j["thumbnail"] = summary.first_sample == 0
                       ? nlohmann::json(nullptr)
                       : nlohmann::json(sample_image_path(summary.person.id, summary.first_sample));
  return j;
}

nlohmann::json to_json(const storage::SampleSummary& sample, std::int64_t person_id) {
  return {{"id", sample.id},
          {"source", sample.source},
          {"sharpness", sample.sharpness},
          {"width_px", sample.width_px},
          {"created_at", sample.created_at},
          {"image", sample_image_path(person_id, sample.id)}};
}

nlohmann::json to_json(const IdentifiedFace& f) {
  nlohmann::json j{
      {"box", {{"x", f.box.x}, {"y", f.box.y}, {"width", f.box.width}, {"height", f.box.height}}},
      {"result", f.quality.ok() ? to_string(f.match.verdict) : "rejected"},
      {"quality",
       {{"width_px", f.quality.width_px}, {"sharpness", f.quality.sharpness}, {"yaw", f.quality.yaw}}}};
  if (!f.quality.ok()) j["problem"] = f.quality.problem;
  if (!f.name.empty()) {
    j["name"] = f.name;
    j["distance"] = f.match.distance;
  }
  if (f.match.ambiguous) j["ambiguous"] = true;
  return j;
}

}  // namespace doorbell::gallery
