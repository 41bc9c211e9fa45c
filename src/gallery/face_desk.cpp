#include "doorbell/gallery/face_desk.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>

namespace doorbell::gallery {
namespace {

std::unique_ptr<recognition::FaceEngine> load_engine(const RecognitionConfig& config,
                                                     prometheus::Registry& registry) {
  const auto start = std::chrono::steady_clock::now();
  auto engine = std::make_unique<recognition::FaceEngine>(config);
  prometheus::BuildGauge()
      .Name("doorbell_model_load_seconds")
      .Help("Time taken to load the face models at start-up")
      .Register(registry)
      .Add({})
      .Set(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return engine;
}

// Runs a store call, its GalleryErrors turned into FaceErrors.
template <typename Fn>
auto translated(Fn&& fn) {
  try {
    return fn();
  } catch (const storage::GalleryError& e) {
    rethrow_gallery_error(e);
  }
}

}  // namespace

FaceDesk::FaceDesk(const Config& config, prometheus::Registry& registry)
    : engine_(load_engine(config.recognition, registry)),
      store_(storage::records_location(config.storage)),
      gallery_(&prometheus::BuildGauge()
                    .Name("doorbell_gallery_index_samples")
                    .Help("Face samples in the in-memory index that rings are matched against")
                    .Register(registry)
                    .Add({})),
      service_(*engine_, store_, gallery_, config.recognition),
      stages_(registry),
      faces_total_(
          prometheus::BuildCounter()
              .Name("doorbell_faces_total")
              .Help("Faces analysed, by result: known, blacklisted, unknown or rejected by the quality gate")
              .Register(registry)),
      gallery_samples_(prometheus::BuildGauge()
                           .Name("doorbell_gallery_samples")
                           .Help("Enrolled face samples, by kind of person")
                           .Register(registry)) {
  using model::Verdict;
  for (const char* result : {to_string(model::Verdict::known), to_string(model::Verdict::blacklisted),
                             to_string(model::Verdict::unknown), "rejected"}) {  // every series from 0
    faces_total_.Add({{"result", result}});
  }
  std::lock_guard lock(mutex_);
  try {
    refresh_gallery_gauges();
  } catch (const storage::DatabaseError& e) {  // a door started while the shared database is away
    spdlog::warn("gallery: sample counts are shown once the records can be read: {}", e.what());
  }
}

void FaceDesk::refresh_gallery_gauges() {
  for (const auto kind : {model::PersonKind::known, model::PersonKind::blacklist}) {
    gallery_samples_.Add({{"kind", to_string(kind)}}).Set(static_cast<double>(store_.count_samples(kind)));
  }
}

std::vector<storage::PersonSummary> FaceDesk::list() {
  std::lock_guard lock(mutex_);
  return store_.list();
}

model::Person FaceDesk::create_person(const std::string& name, model::PersonKind kind) {
  std::lock_guard lock(mutex_);
  return translated([&] { return store_.create_person(name, kind); });
}

model::Person FaceDesk::update(std::int64_t person_id, const std::optional<std::string>& name,
                               std::optional<model::PersonKind> kind) {
  std::lock_guard lock(mutex_);
  auto person = translated([&] { return store_.update(person_id, name, kind); });
  refresh_gallery_gauges();
  return person;
}

std::vector<storage::SampleSummary> FaceDesk::samples(std::int64_t person_id) {
  std::lock_guard lock(mutex_);
  if (!store_.find(person_id)) {
    throw FaceError(FaceError::Code::unknown_person, fmt::format("no person with id {}", person_id));
  }
  return store_.samples(person_id);
}

std::optional<std::string> FaceDesk::sample_image(std::int64_t person_id, std::int64_t sample_id) {
  std::lock_guard lock(mutex_);
  const auto jpeg = store_.sample_image(person_id, sample_id);
  if (!jpeg) return std::nullopt;
  return std::string(jpeg->begin(), jpeg->end());
}

bool FaceDesk::remove_sample(std::int64_t person_id, std::int64_t sample_id) {
  std::lock_guard lock(mutex_);
  const bool removed = store_.remove_sample(person_id, sample_id);
  if (removed) refresh_gallery_gauges();
  return removed;
}

model::Person FaceDesk::add_faces(std::int64_t person_id, std::span<const ImageInput> images) {
  std::lock_guard lock(mutex_);
  auto person = service_.add_faces(person_id, images);
  refresh_gallery_gauges();
  return person;
}

bool FaceDesk::remove(std::int64_t person_id) {
  std::lock_guard lock(mutex_);
  const bool removed = service_.remove(person_id);
  refresh_gallery_gauges();
  return removed;
}

std::optional<model::Person> FaceDesk::find(std::int64_t person_id) {
  std::lock_guard lock(mutex_);
  return store_.find(person_id);
}

model::Person FaceDesk::enroll(const std::string& name, model::PersonKind kind,
                               std::span<const storage::NewSample> samples) {
  std::lock_guard lock(mutex_);
  auto person = translated([&] { return store_.enroll(name, kind, samples); });
  refresh_gallery_gauges();
  return person;
}

std::vector<IdentifiedFace> FaceDesk::identify(const ImageInput& image) {
  std::lock_guard lock(mutex_);
  auto found = service_.identify(image);
  stages_.observe_assessment(engine_->last_timings());
  stages_.observe_description(engine_->last_timings());
  for (const auto& f : found) {
    faces_total_.Add({{"result", f.quality.ok() ? to_string(f.match.verdict) : "rejected"}}).Increment();
  }
  return found;
}

}  // namespace doorbell::gallery
