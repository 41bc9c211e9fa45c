#pragma once
// dlib model files: loading one with an error that names the file and the configuration key, and the
// landmark predictor loaded once per process — every FaceEngine naming the same file shares one
// read-only copy (dlib's shape_predictor is const after loading and keeps nothing between calls). The
// ResNet is not shared: a dlib network keeps each call's activations in its layers. Internal to
// src/recognition; thread-safe.

#include <dlib/image_processing/shape_predictor.h>
#include <dlib/serialize.h>
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <string>

#include "doorbell/recognition/face_engine.hpp"

namespace doorbell::recognition {

// Deserialises `path` into `model`; throws ModelError naming `key` (the configuration key) and the file.
template <class Model>
void load_model(const std::string& path, const char* key, Model& model) {
  if (!std::filesystem::is_regular_file(path)) {
    throw ModelError(
        fmt::format("{}: model file \"{}\" does not exist (scripts/models.sh provisions it)", key, path));
  }
  try {
    dlib::deserialize(path) >> model;
  } catch (const std::exception& e) {
    throw ModelError(fmt::format("{}: \"{}\" is not a usable dlib model: {}", key, path, e.what()));
  }
}

// The 68- or 5-point predictor at `path` (recognition.landmarks_model), loaded by the first caller and
// shared while anyone holds it; throws ModelError.
std::shared_ptr<const dlib::shape_predictor> shared_landmarks(const std::string& path);

// Makes OpenBLAS (when it is the BLAS in use) run each call on the calling thread: every recognition
// thread is its own parallelism, and OpenBLAS's own threads spin while they wait, taking the CPU the
// face assessor and the other workers need. Idempotent, thread-safe.
void single_threaded_blas();

}  // namespace doorbell::recognition
