// Uploaded images: the header checks, the decode and (for what decodes) the face engine's quality gate
// on the real models. Never a crash; nothing decoded that the header did not announce.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "doorbell/common/image_intake.hpp"
#include "doorbell/recognition/face_engine.hpp"

namespace {

// The face engine on the repository's models (scripts/models.sh); none when they are missing.
doorbell::recognition::FaceEngine* engine() {
  static const auto made = []() -> std::unique_ptr<doorbell::recognition::FaceEngine> {
    const std::filesystem::path models = DOORBELL_SOURCE_DIR "/models";
    doorbell::RecognitionConfig config;
    config.resnet_model = (models / "dlib_face_recognition_resnet_model_v1.dat").string();
    config.landmarks_model = (models / "shape_predictor_68_face_landmarks.dat").string();
    if (!std::filesystem::exists(config.resnet_model)) {
      std::fprintf(stderr, "image_fuzzer: no models in %s: the quality gate is not fuzzed\n", models.c_str());
      return nullptr;
    }
    return std::make_unique<doorbell::recognition::FaceEngine>(config);
  }();
  return made.get();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto header = doorbell::read_image_header({data, size});
  const auto decoded = doorbell::decode_upload({data, size});
  if (decoded.problem != doorbell::DecodedUpload::Problem::none) return 0;
  if (!header) __builtin_trap();  // decoded what the header check did not recognise
  const long pixels = static_cast<long>(decoded.image.width) * decoded.image.height;
  if (pixels > doorbell::kDecodePixels) __builtin_trap();
  // The face engine's cost grows with the pixels (a valid 160x16498 JPEG took a minute under ASan):
  // it is fuzzed on images up to a megapixel, which keeps each run short.
  if (auto* e = engine(); e != nullptr && pixels <= 1'000'000) (void)e->analyze(decoded.image.view());
  return 0;
}
