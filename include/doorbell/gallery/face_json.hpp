#pragma once
// JSON forms of people and identified faces, shared by the CLI's --json output and the HTTP API.

#include <nlohmann/json.hpp>

#include "doorbell/gallery/face_service.hpp"

namespace doorbell::gallery {

nlohmann::json to_json(const model::Person& person);
nlohmann::json to_json(const storage::PersonSummary& summary);
// {"id", "source", "sharpness", "width_px", "created_at", "image": "/api/people/{person}/faces/{id}.jpg"}
nlohmann::json to_json(const storage::SampleSummary& sample, std::int64_t person_id);
// {"box": {...}, "result": "known|blacklisted|unknown|rejected", "quality": {...}, "name", "distance", ...}
nlohmann::json to_json(const IdentifiedFace& face);

}  // namespace doorbell::gallery
