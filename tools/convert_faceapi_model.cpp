// doorbell-convert-model: writes dlib_face_recognition_resnet_model_v1.dat from @vladmandic/face-api's
// face_recognition_model weights. Usage: doorbell-convert-model MANIFEST.json OUTPUT.dat
#include <fmt/format.h>

#include <exception>

#include "doorbell/recognition/model_conversion.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: {} face_recognition_model-weights_manifest.json OUTPUT.dat\n", argv[0]);
    return 2;
  }
  try {
    const auto report = doorbell::recognition::convert_faceapi_model(argv[1], argv[2]);
    fmt::print("wrote {}: {} conv, {} affine, {} fc layers, {} parameters\n", argv[2], report.conv_layers,
               report.affine_layers, report.fc_layers, report.parameters);
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: {}\n", argv[0], e.what());
    return 1;
  }
}
