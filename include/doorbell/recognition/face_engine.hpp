#pragma once
// FaceEngine: the FaceAnalyser on dlib — finds faces in a frame and describes them: HOG detector, a landmark
// predictor (68 or 5 points), aligned 150x150 chips, a quality gate and the ResNet 128-D descriptor
// (batched). Owns its detector: NOT thread-safe; create one per thread (dlib #998). The landmark predictor
// (read-only) and the network (locked for each batch) are one copy shared by every engine in the
// process. An Assessment, once made, is read-only and may be described by another thread's engine.

#include <memory>
#include <span>
#include <stdexcept>
#include <vector>

#include "doorbell/common/image.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/model/face.hpp"
#include "doorbell/recognition/stage_timings.hpp"

namespace doorbell::recognition {

// A model file is missing or unreadable; the message names the file and the key that points to it.
class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Chips { discard, keep };  // keep: each face carries its aligned chip (to store as a sample)

// A frame's faces before their descriptors: detected, landmarked, aligned and through the quality gate.
// From FaceEngine, it holds the aligned faces that passed, so describe() need not look at the frame again.
class Assessment {
 public:
  Assessment();
  Assessment(Assessment&&) noexcept;
  Assessment& operator=(Assessment&&) noexcept;
  ~Assessment();
  std::vector<model::Face> faces;  // largest first

 private:
  friend class FaceEngine;
  struct Pending;
  std::unique_ptr<Pending> pending_;
};

// What the pipeline asks of a face engine: a frame's faces found (the cheap part), then described.
// FaceEngine is the real one; tests/fakes/fake_face_engine.hpp answers from a table, without models.
class FaceAnalyser {
 public:
  virtual ~FaceAnalyser() = default;
  // Every face in the region of interest, largest first, without descriptors.
  virtual Assessment assess(const ImageView& frame, Chips chips) = 0;
  // The assessed faces of several frames (a ring's best), with descriptors for those that passed the gate.
  virtual std::vector<std::vector<model::Face>> describe(std::span<const Assessment* const> assessments) = 0;
  // The stages' times of the last assess() or describe().
  virtual const StageTimings& last_timings() const noexcept = 0;
};

class FaceEngine final : public FaceAnalyser {
 public:
  enum class Stages {
    assess,  // finding, aligning and gating faces only: the network is not loaded, describe() throws
    all,
  };
  // Loads the models; throws ModelError.
  explicit FaceEngine(const RecognitionConfig& config, Stages stages = Stages::all);
  ~FaceEngine() override;
  FaceEngine(const FaceEngine&) = delete;
  FaceEngine& operator=(const FaceEngine&) = delete;

  Assessment assess(const ImageView& frame, Chips chips = Chips::discard) override;
  std::vector<std::vector<model::Face>> describe(std::span<const Assessment* const> assessments) override;
  // One frame's assessment described.
  std::vector<model::Face> describe(const Assessment& assessment);
  // assess() then describe().
  std::vector<model::Face> analyze(const ImageView& frame, Chips chips = Chips::discard);
  const StageTimings& last_timings() const noexcept override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace doorbell::recognition
