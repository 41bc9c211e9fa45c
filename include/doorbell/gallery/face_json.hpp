#pragma once
// JSON forms of people and identified faces, shared by the CLI's --json output and the HTTP API.

#include <nlohmann/json.hpp>

#include "doorbell/gallery/face_service.hpp"

namespace doorbell::gallery {

nlohmann::json to_json(const gallery::Person& person);
nlohmann::json to_json(const storage::PersonSummary& summary);
// {"box": {...}, "result": "known|blacklisted|unknown|rejected", "quality": {...}, "name", "distance", ...}
nlohmann::json to_json(const IdentifiedFace& face);

}  // namespace doorbell::gallery
