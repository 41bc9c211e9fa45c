#pragma once
// Calibration for `doorbelld faces eval DIR`: distances between faces of the same person and of
// different people in DIR/<person>/*, and the threshold that best separates them. Stateless.

#include <cstddef>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "doorbell/model/face.hpp"
#include "doorbell/recognition/face_engine.hpp"

namespace doorbell::gallery {

struct DistanceStats {
  std::size_t count = 0;
  double min = 0, mean = 0, max = 0, p05 = 0, p95 = 0;
};

struct CalibrationReport {
  std::size_t people = 0;
  std::size_t faces = 0;
  std::vector<std::string> skipped;  // "image: reason"
  DistanceStats same;                // pairs of one person's faces
  DistanceStats different;           // pairs of two people's faces
  double threshold = 0;              // fewest errors: same pairs above + different pairs at or below
  double false_rejects = 0;          // fraction of same pairs above the threshold
  double false_accepts = 0;          // fraction of different pairs at or below it

  std::string to_text() const;
  nlohmann::json to_json() const;
};

CalibrationReport calibrate(const std::map<std::string, std::vector<model::Descriptor>>& faces);
// Reads DIR/<person>/<image>, using the single (largest) face of each image that passes the gate.
CalibrationReport calibrate(recognition::FaceEngine& engine, const std::filesystem::path& dir);

}  // namespace doorbell::gallery
