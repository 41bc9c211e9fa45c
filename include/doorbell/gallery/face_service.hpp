#pragma once
// FaceService: the use-cases behind `doorbelld faces ...` and /api/people and /api/identify. Every
// image is checked before anything is written, so an error leaves the gallery as it was. Uses one
// FaceEngine and one GalleryStore: not thread-safe; callers serialise (the HTTP routes hold a mutex).

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "doorbell/config/config.hpp"
#include "doorbell/gallery/gallery_cache.hpp"
#include "doorbell/model/gallery_index.hpp"
#include "doorbell/recognition/face_engine.hpp"
#include "doorbell/storage/gallery_store.hpp"

namespace doorbell::gallery {

// One distinct error per problem a user can cause; http_status() maps it for the API.
class FaceError : public std::runtime_error {
 public:
  enum class Code {
    not_an_image,
    image_too_large,
    truncated_image,
    no_face,
    several_faces,
    poor_quality,
    unknown_person,
    name_conflict,
    invalid_request
  };
  FaceError(Code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Code code() const noexcept { return code_; }
  const char* name() const noexcept;
  int http_status() const noexcept;

 private:
  Code code_;
};

struct ImageInput {
  std::string source;  // file name, or "upload"
  std::span<const std::uint8_t> bytes;
};

struct IdentifiedFace {
  model::Box box;
  model::Quality quality;
  model::Match match;  // verdict unknown for faces that failed the quality gate
  std::string name;    // of the matched (or, when unknown, the nearest) person
};

class FaceService {
 public:
  FaceService(recognition::FaceEngine& engine, storage::GalleryStore& store, GalleryCache& gallery,
              const RecognitionConfig& config);

  // Each image must hold exactly one face that passes the quality gate.
  model::Person enroll(const std::string& name, model::PersonKind kind, std::span<const ImageInput> images);
  model::Person add_faces(std::int64_t person_id, std::span<const ImageInput> images);
  bool remove(std::int64_t person_id);
  std::vector<IdentifiedFace> identify(const ImageInput& image);

  model::MatchPolicy policy() const { return {config_.match_threshold, config_.match_margin}; }

 private:
  std::vector<storage::NewSample> samples_from(std::span<const ImageInput> images);

  recognition::FaceEngine& engine_;
  storage::GalleryStore& store_;
  GalleryCache& gallery_;
  RecognitionConfig config_;
};

// Translates the store's errors into FaceErrors.
[[noreturn]] void rethrow_gallery_error(const storage::GalleryError& e);

}  // namespace doorbell::gallery
