#include "doorbell/gallery/face_service.hpp"

#include <fmt/format.h>

#include "doorbell/common/image_codec.hpp"
#include "doorbell/common/image_intake.hpp"

namespace doorbell::gallery {
namespace {

Image decode(const ImageInput& input) {
  using Problem = DecodedUpload::Problem;
  auto decoded = decode_upload(input.bytes);
  const auto code = decoded.problem == Problem::too_large   ? FaceError::Code::image_too_large
                    : decoded.problem == Problem::truncated ? FaceError::Code::truncated_image
                                                            : FaceError::Code::not_an_image;
  if (decoded.problem != Problem::none)
    throw FaceError(code, fmt::format("{}: {}", input.source, decoded.message));
  return std::move(decoded.image);
}

}  // namespace

const char* FaceError::name() const noexcept {
  switch (code_) {
    case Code::not_an_image:
      return "not_an_image";
    case Code::image_too_large:
      return "image_too_large";
    case Code::truncated_image:
      return "truncated_image";
    case Code::no_face:
      return "no_face";
    case Code::several_faces:
      return "several_faces";
    case Code::poor_quality:
      return "poor_quality";
    case Code::unknown_person:
      return "unknown_person";
    case Code::name_conflict:
      return "name_conflict";
    case Code::invalid_request:
      return "invalid_request";
  }
  return "error";
}

int FaceError::http_status() const noexcept {
  switch (code_) {
    case Code::image_too_large:
      return 413;
    case Code::unknown_person:
      return 404;
    case Code::name_conflict:
      return 409;
    case Code::not_an_image:
      return 415;
    case Code::invalid_request:
    case Code::truncated_image:
      return 400;
    default:
      return 422;
  }
}

void rethrow_gallery_error(const storage::GalleryError& e) {
  switch (e.code()) {
    case storage::GalleryError::Code::unknown_person:
      throw FaceError(FaceError::Code::unknown_person, e.what());
    case storage::GalleryError::Code::invalid_name:
      throw FaceError(FaceError::Code::invalid_request, e.what());
    default:
      throw FaceError(FaceError::Code::name_conflict, e.what());
  }
}

FaceService::FaceService(recognition::FaceEngine& engine, storage::GalleryStore& store, GalleryCache& gallery,
                         const RecognitionConfig& config)
    : engine_(engine), store_(store), gallery_(gallery), config_(config) {}

std::vector<storage::NewSample> FaceService::samples_from(std::span<const ImageInput> images) {
  if (images.empty()) throw FaceError(FaceError::Code::invalid_request, "no images given");
  std::vector<storage::NewSample> samples;
  for (const auto& input : images) {
    const auto image = decode(input);
    auto found = engine_.analyze(image.view(), recognition::Chips::keep);
    if (found.empty())
      throw FaceError(FaceError::Code::no_face, fmt::format("{}: no face found", input.source));
    if (found.size() > 1) {
      throw FaceError(
          FaceError::Code::several_faces,
          fmt::format("{}: {} faces found; enroll from pictures of one person", input.source, found.size()));
    }
    auto& face = found.front();
    if (!face.quality.ok()) {
      throw FaceError(FaceError::Code::poor_quality,
                      fmt::format("{}: face {}", input.source, face.quality.problem));
    }
    samples.push_back({face.descriptor, face.quality.sharpness, face.quality.width_px, input.source,
                       encode_jpeg(face.chip.view())});
  }
  return samples;
}

model::Person FaceService::enroll(const std::string& name, model::PersonKind kind,
                                  std::span<const ImageInput> images) {
  const auto samples = samples_from(images);
  try {
    return store_.enroll(name, kind, samples);
  } catch (const storage::GalleryError& e) {
    rethrow_gallery_error(e);
  }
}

model::Person FaceService::add_faces(std::int64_t person_id, std::span<const ImageInput> images) {
  const auto person = store_.find(person_id);
  if (!person)
    throw FaceError(FaceError::Code::unknown_person, fmt::format("no person with id {}", person_id));
  const auto samples = samples_from(images);
  try {
    store_.add_samples(person_id, samples);
  } catch (const storage::GalleryError& e) {
    rethrow_gallery_error(e);
  }
  return *person;
}

bool FaceService::remove(std::int64_t person_id) {
  return store_.remove(person_id);
}

std::vector<IdentifiedFace> FaceService::identify(const ImageInput& input) {
  const auto image = decode(input);
  const auto index = gallery_.get(store_);
  std::vector<IdentifiedFace> out;
  for (const auto& face : engine_.analyze(image.view())) {
    IdentifiedFace f{face.box, face.quality, {}, {}};
    if (face.quality.ok()) {
      f.match = index->match(face.descriptor, policy());
      if (f.match.person != nullptr) f.name = f.match.person->name;
      f.match.person = nullptr;  // points into `index`, which may be replaced after this call
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace doorbell::gallery
