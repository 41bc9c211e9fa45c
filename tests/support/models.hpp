#pragma once
// Where the tests find the real models (provisioned by scripts/models.sh into models/) and the real
// portraits that @vladmandic/face-api ships (tools/faceapi, installed by the same script).

#include <filesystem>
#include <string>

#include "doorbell/config/config.hpp"

namespace doorbell::testing {

inline const std::filesystem::path kModelsDir = std::filesystem::path(DOORBELL_SOURCE_DIR) / "models";
inline const std::filesystem::path kPortraits =
    std::filesystem::path(DOORBELL_SOURCE_DIR) / "tools/faceapi/node_modules/@vladmandic/face-api/demo";
inline const std::filesystem::path kFaceApiManifest =
    std::filesystem::path(DOORBELL_SOURCE_DIR) /
    "tools/faceapi/node_modules/@vladmandic/face-api/model/face_recognition_model-weights_manifest.json";

inline std::filesystem::path portrait(int n) {
  return kPortraits / ("sample" + std::to_string(n) + ".jpg");
}

inline RecognitionConfig recognition_config() {
  RecognitionConfig c;
  c.resnet_model = (kModelsDir / "dlib_face_recognition_resnet_model_v1.dat").string();
  c.landmarks_model = (kModelsDir / "shape_predictor_68_face_landmarks.dat").string();
  return c;
}

}  // namespace doorbell::testing
