#pragma once
// FaceDesk: the gallery and recognition as the HTTP API uses them — a FaceService behind a mutex (dlib
// objects are not thread-safe), plus the recognition and gallery metrics. Thread-safe.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <memory>
#include <mutex>

#include "doorbell/gallery/face_service.hpp"
#include "doorbell/recognition/stage_metrics.hpp"

namespace doorbell::gallery {

class FaceDesk {
 public:
  // Throws recognition::ModelError or storage::DatabaseError when models or the database are unusable.
  FaceDesk(const Config& config, prometheus::Registry& registry);

  std::vector<storage::PersonSummary> list();
  model::Person create_person(const std::string& name, model::PersonKind kind);
  model::Person add_faces(std::int64_t person_id, std::span<const ImageInput> images);
  bool remove(std::int64_t person_id);
  // Renames and/or moves between known and blacklist (nullopt: unchanged).
  model::Person update(std::int64_t person_id, const std::optional<std::string>& name,
                       std::optional<model::PersonKind> kind);
  std::vector<storage::SampleSummary> samples(std::int64_t person_id);  // FaceError unknown_person
  std::optional<std::string> sample_image(std::int64_t person_id, std::int64_t sample_id);  // the JPEG
  bool remove_sample(std::int64_t person_id, std::int64_t sample_id);
  std::optional<model::Person> find(std::int64_t person_id);
  // Adds described faces (e.g. seen at the door) to the person named, created if needed; FaceError
  // name_conflict when the name is a person of the other kind.
  model::Person enroll(const std::string& name, model::PersonKind kind,
                       std::span<const storage::NewSample> samples);
  std::vector<IdentifiedFace> identify(const ImageInput& image);
  GalleryCache& gallery() noexcept { return gallery_; }

 private:
  void refresh_gallery_gauges();  // mutex_ held

  std::mutex mutex_;
  std::unique_ptr<recognition::FaceEngine> engine_;
  storage::GalleryStore store_;
  GalleryCache gallery_;
  FaceService service_;
  recognition::StageMetrics stages_;
  prometheus::Family<prometheus::Counter>& faces_total_;
  prometheus::Family<prometheus::Gauge>& gallery_samples_;
};

}  // namespace doorbell::gallery
