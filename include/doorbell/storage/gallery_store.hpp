#pragma once
// GalleryStore: known and blacklisted people with their face samples (descriptor, quality, source) and
// negatives, and each sample's aligned face as a JPEG: in the records when doors share them (PostgreSQL),
// so every door shows it; else a file under <data_dir>/faces/<person id>/. Writes are all-or-nothing. Owns
// a database connection: not thread-safe; open one per thread.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "doorbell/model/gallery_index.hpp"
#include "doorbell/storage/database.hpp"
#include "doorbell/storage/location.hpp"

namespace doorbell::storage {

class GalleryError : public std::runtime_error {
 public:
  enum class Code { unknown_person, name_taken, kind_mismatch, invalid_name };
  GalleryError(Code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Code code() const noexcept { return code_; }

 private:
  Code code_;
};

struct NewSample {
  model::Descriptor descriptor{};
  double sharpness = 0;
  double width_px = 0;
  std::string source;              // e.g. the file name or "upload"
  std::vector<std::uint8_t> jpeg;  // the aligned face
};

// One stored sample of a person: what was measured, and its aligned face.
struct SampleSummary {
  std::int64_t id = 0;
  std::string source;
  double sharpness = 0;
  double width_px = 0;
  std::string created_at;
  std::filesystem::path image;  // the aligned face's file (JPEG), or its name when the records keep it
};

// The people a gallery changed since a generation (enrolled, renamed, moved, removed, given samples or
// negatives), in the order of their ids, and the generation that brings it to. Not `complete` when the
// log no longer reaches back that far: then everything must be read again.
struct GalleryChanges {
  std::int64_t generation = 0;
  std::vector<std::int64_t> people;
  bool complete = true;
};

struct PersonSummary {
  model::Person person;
  std::size_t samples = 0;
  std::string created_at;
  std::int64_t first_sample = 0;  // the oldest sample's id (0: none), their picture in a list
};

class GalleryStore {
 public:
  explicit GalleryStore(const Location& where);

  // Names are stored normalised (common/names.hpp): "José" in NFC or NFD is one person; a name with
  // invisible or control characters is refused (GalleryError::invalid_name).
  model::Person create_person(const std::string& name, model::PersonKind kind);
  // Adds samples to the person named, creating them first if needed. Throws GalleryError when the name
  // belongs to a person of the other kind.
  model::Person enroll(const std::string& name, model::PersonKind kind, std::span<const NewSample> samples);
  void add_samples(std::int64_t person_id, std::span<const NewSample> samples);
  // Removes the person, their samples and their files; false if there was no such person.
  bool remove(std::int64_t person_id);
  // Renames the person and/or moves them between known and blacklist (nullopt: unchanged). Throws
  // GalleryError: unknown_person, name_taken, invalid_name.
  model::Person update(std::int64_t person_id, const std::optional<std::string>& name,
                       std::optional<model::PersonKind> kind);

  std::vector<SampleSummary> samples(std::int64_t person_id);  // oldest first
  std::optional<SampleSummary> sample(std::int64_t person_id, std::int64_t sample_id);
  // Removes one sample and its file; false if the person has no such sample.
  bool remove_sample(std::int64_t person_id, std::int64_t sample_id);
  // The sample's aligned face (JPEG); nullopt when there is no such sample or its image is gone.
  std::optional<std::vector<std::uint8_t>> sample_image(std::int64_t person_id, std::int64_t sample_id);

  std::optional<model::Person> find(std::int64_t id);
  std::optional<model::Person> find(const std::string& name);
  std::vector<PersonSummary> list();
  std::size_t count_samples(model::PersonKind kind);
  model::GalleryIndex load_index();  // with each person's negatives
  // The index of these people alone, as they are now (one removed is not in it).
  model::GalleryIndex load_people(std::span<const std::int64_t> ids);
  // What changed after `generation`, from the change log doors sharing the records keep (PostgreSQL).
  // Throws DatabaseError (on SQLite, which keeps no log).
  GalleryChanges changes_since(std::int64_t generation);
  // Deletes the change log's rows made before `before` (ISO 8601); returns how many went. PostgreSQL.
  std::int64_t forget_changes(const std::string& before);
  // Stores a face that is not this person (gallery_index.hpp); the person must exist.
  void add_negative(std::int64_t person_id, const model::Descriptor& descriptor);
  // Moves on with every committed change to people or samples, made by any connection or process.
  std::int64_t generation();

  std::filesystem::path sample_dir(std::int64_t person_id) const;

 private:
  void insert_samples(std::int64_t person_id, std::span<const NewSample> samples,
                      std::vector<std::filesystem::path>& written);
  bool in_a_file(const SampleSummary& sample) const;
  model::GalleryIndex load(std::optional<std::span<const std::int64_t>> ids);
  void load_batch(std::span<const std::int64_t> ids, model::GalleryIndex& index);  // adds them to it

  std::filesystem::path data_dir_;
  Database db_;
  const bool keeps_images_;  // in the records (PostgreSQL), not in files
};

}  // namespace doorbell::storage
