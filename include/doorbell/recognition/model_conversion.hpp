#pragma once
// Builds dlib_face_recognition_resnet_model_v1.dat from the weights of the same network that the npm
// package @vladmandic/face-api ships (a port of dlib's model), for machines that cannot download
// dlib's file. Stateless; thread-safe.

#include <cstddef>
#include <filesystem>
#include <stdexcept>

namespace doorbell::recognition {

struct ConversionReport {
  std::size_t conv_layers = 0;
  std::size_t affine_layers = 0;
  std::size_t fc_layers = 0;
  std::size_t parameters = 0;
};

// Reads face_recognition_model-weights_manifest.json and the .bin it names (from the manifest's folder)
// and writes a dlib model file. Throws std::runtime_error naming the file or tensor that does not fit.
ConversionReport convert_faceapi_model(const std::filesystem::path& manifest,
                                       const std::filesystem::path& output);

}  // namespace doorbell::recognition
