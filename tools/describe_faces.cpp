// doorbell-describe-faces: the faces doorbelld finds in each image, with their boxes, quality verdicts and
// 128-D descriptors, one JSON line per image — the arm64 smoke test compares them with the amd64 build's.
// Usage: doorbell-describe-faces MODELS_DIR IMAGE...
#include <fmt/format.h>

#include <exception>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "doorbell/common/image_codec.hpp"
#include "doorbell/recognition/face_engine.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: {} MODELS_DIR IMAGE...\n", argv[0]);
    return 2;
  }
  try {
    doorbell::RecognitionConfig config;
    config.resnet_model = std::string(argv[1]) + "/dlib_face_recognition_resnet_model_v1.dat";
    config.landmarks_model = std::string(argv[1]) + "/shape_predictor_68_face_landmarks.dat";
    doorbell::recognition::FaceEngine engine(config);
    for (int i = 2; i < argc; ++i) {
      nlohmann::json faces = nlohmann::json::array();
      for (const auto& face : engine.analyze(doorbell::read_image_file(argv[i]).view())) {
        faces.push_back(
            {{"box", {face.box.x, face.box.y, face.box.width, face.box.height}},
             {"problem", face.quality.problem},
             {"descriptor", face.quality.ok() ? nlohmann::json(face.descriptor) : nlohmann::json()}});
      }
      fmt::print("{}\n", nlohmann::json{{"image", std::filesystem::path(argv[i]).filename().string()},
                                        {"faces", faces}}
                             .dump());
    }
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: {}\n", argv[0], e.what());
    return 1;
  }
}
