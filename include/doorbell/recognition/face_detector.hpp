#pragma once
// FaceDetector: dlib's HOG frontal face detector over the configured region of interest, upsampled as
// configured, or shrunk so that recognition.min_face_px fills the detector's 80-pixel window (fewer
// pixels to scan); boxes in frame coordinates, largest first. Needs no model file. Owns its dlib object:
// NOT thread-safe; one per thread (dlib #998).

#include <memory>
#include <vector>

#include "doorbell/common/image.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/model/face.hpp"

namespace doorbell::recognition {

class FaceDetector {
 public:
  explicit FaceDetector(const RecognitionConfig& config);
  ~FaceDetector();
  FaceDetector(const FaceDetector&) = delete;
  FaceDetector& operator=(const FaceDetector&) = delete;

  std::vector<model::Box> detect(const ImageView& frame);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace doorbell::recognition
