#pragma once
// An event's faces as the records, the spool and the events API write them: a JSON array of
// {"result", "name"?, "distance" (null: infinite), "votes", "frames", "box", "visitor"?: {"id", "seen"?,
// "ignored"}, "corrected"?}. Reading is lenient: a field an older record lacks takes its default.
// Stateless.

#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "doorbell/model/face_outcome.hpp"

namespace doorbell::storage {

nlohmann::json faces_json(std::span<const model::FaceOutcome> faces);
// Pieces of it that the notifications' JSON shares: a distance (null when infinite, as JSON has no
// infinity) and a face's visitor ({"id", "ignored", "seen" when counted}).
nlohmann::json distance_json(double distance);
nlohmann::json sighting_json(const model::Sighting& visitor);
// Throws nlohmann::json::exception when `array` is not an array of objects.
std::vector<model::FaceOutcome> faces_from_json(const nlohmann::json& array);

}  // namespace doorbell::storage
