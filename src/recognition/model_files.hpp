#pragma once
// dlib model files: loading one with an error that names the file and the configuration key, and the
// models loaded once per process: every FaceEngine naming the same landmark file shares one read-only
// LandmarkModel (it keeps nothing between calls); every engine naming the same ResNet file shares one
// network, used by one engine at a time (a dlib network keeps a call's activations in its layers; a copy
// costs ~29 MB, a description ~20 ms); every FaceDetector copies one decoded HOG detector (decoding takes
// ~0.45 s, a copy 0.1 ms). Internal to src/recognition; thread-safe.

#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/serialize.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "doorbell/recognition/face_engine.hpp"
#include "landmark_model.hpp"

namespace doorbell::recognition {

// Reads the model file at `path` with `read(std::istream&)`; throws ModelError naming `key` (the
// configuration key) and the file.
template <class Read>
void read_model(const std::string& path, const char* key, Read read) {
  if (!std::filesystem::is_regular_file(path)) {
    throw ModelError(
        fmt::format("{}: model file \"{}\" does not exist (scripts/models.sh provisions it)", key, path));
  }
  try {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot be opened");
    read(in);
  } catch (const std::exception& e) {
    throw ModelError(fmt::format("{}: \"{}\" is not a usable dlib model: {}", key, path, e.what()));
  }
}

// The 68- or 5-point predictor at `path` (recognition.landmarks_model), loaded by the first caller and
// shared while anyone holds it; throws ModelError.
std::shared_ptr<const LandmarkModel> shared_landmarks(const std::string& path);

struct SharedNet;  // resnet.hpp

// The network at `path` (recognition.resnet_model), loaded by the first caller and shared while anyone
// holds it; throws ModelError.
std::shared_ptr<SharedNet> shared_net(const std::string& path);

// dlib's HOG frontal face detector, decoded by the first caller; copy it to use it (detection keeps
// per-call state in the detector).
const dlib::frontal_face_detector& frontal_face_detector();

// Makes OpenBLAS (when it is the BLAS in use) run each call on the calling thread: every recognition
// thread is its own parallelism, and OpenBLAS's own threads spin while they wait, taking the CPU the
// face assessor and the other workers need. Idempotent, thread-safe.
void single_threaded_blas();

}  // namespace doorbell::recognition
