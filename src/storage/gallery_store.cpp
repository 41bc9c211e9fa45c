#include "doorbell/storage/gallery_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>

#include "doorbell/common/names.hpp"
#include "doorbell/storage/atomic_file.hpp"
#include "doorbell/storage/descriptor_blob.hpp"

namespace doorbell::storage {
namespace {

using model::Person;
using model::PersonKind;

// The one spelling a name is stored and looked up in (NFC, trimmed, nothing invisible).
std::string canonical(const std::string& name) {
  auto normalised = normalize_name(name);
  if (auto* error = std::get_if<NameError>(&normalised)) {
    throw GalleryError(GalleryError::Code::invalid_name, error->message);
  }
  return std::get<std::string>(std::move(normalised));
}

// A gallery is loaded in batches of people with about this many samples between them: PostgreSQL's client
// library holds a statement's whole result at once (a descriptor is 1,026 hex characters there), so one
// statement for 100,000 samples would hold 110 MB more while loading, and keep much of it after.
constexpr std::int64_t kBatchSamples = 5000;

// `IN` the people whose ids are bound as a JSON array, which both backends take apart.
std::string among(Dialect dialect) {
  return dialect == Dialect::sqlite ? "IN (SELECT value FROM json_each(?))"
                                    : "IN (SELECT jsonb_array_elements_text(?::jsonb)::BIGINT)";
}

std::string ids_json(std::span<const std::int64_t> ids) {
  return nlohmann::json(std::vector<std::int64_t>(ids.begin(), ids.end())).dump();
}

}  // namespace

GalleryStore::GalleryStore(const Location& where)
    : data_dir_(where.data_dir),
      db_(open_records(where)),
      keeps_images_(db_.dialect() == Dialect::postgres) {}

std::filesystem::path GalleryStore::sample_dir(std::int64_t person_id) const {
  return data_dir_ / "faces" / std::to_string(person_id);
}

Person GalleryStore::create_person(const std::string& raw_name, PersonKind kind) {
  const auto name = canonical(raw_name);
  if (find(name))
    throw GalleryError(GalleryError::Code::name_taken, fmt::format("\"{}\" already exists", name));
  const auto id = db_.prepare("INSERT INTO people (name, kind) VALUES (?, ?) RETURNING id")
                      .bind(1, name)
                      .bind(2, to_string(kind))
                      .returning_id();
  return {id, name, kind};
}

Person GalleryStore::enroll(const std::string& raw_name, PersonKind kind,
                            std::span<const NewSample> samples) {
  const auto name = canonical(raw_name);
  Person person;
  std::vector<std::filesystem::path> written;
  try {
    db_.transaction([&] {
      if (auto existing = find(name)) {
        if (existing->kind != kind) {
          throw GalleryError(
              GalleryError::Code::kind_mismatch,
              fmt::format("\"{}\" is already enrolled as {}", existing->name, to_string(existing->kind)));
        }
        person = *existing;
      } else {
        const auto id = db_.prepare("INSERT INTO people (name, kind) VALUES (?, ?) RETURNING id")
                            .bind(1, name)
                            .bind(2, to_string(kind))
                            .returning_id();
        person = {id, name, kind};
      }
      insert_samples(person.id, samples, written);
    });
  } catch (...) {
    for (const auto& f : written) std::filesystem::remove(f);
    throw;
  }
  return person;
}

void GalleryStore::add_samples(std::int64_t person_id, std::span<const NewSample> samples) {
  std::vector<std::filesystem::path> written;
  try {
    db_.transaction([&] {
      if (!find(person_id)) {
        throw GalleryError(GalleryError::Code::unknown_person,
                           fmt::format("no person with id {}", person_id));
      }
      insert_samples(person_id, samples, written);
    });
  } catch (...) {
    for (const auto& f : written) std::filesystem::remove(f);
    throw;
  }
}

void GalleryStore::insert_samples(std::int64_t person_id, std::span<const NewSample> samples,
                                  std::vector<std::filesystem::path>& written) {
  const auto dir = sample_dir(person_id);
  if (!keeps_images_) std::filesystem::create_directories(dir);
  for (const auto& s : samples) {
    const auto sample_id =
        db_.prepare(
               "INSERT INTO face_samples (person_id, descriptor, sharpness, width_px, source, image_path) "
               "VALUES (?, ?, ?, ?, ?, '') RETURNING id")
            .bind(1, person_id)
            .bind(2, descriptor_bytes(s.descriptor))
            .bind(3, s.sharpness)
            .bind(4, s.width_px)
            .bind(5, s.source)
            .returning_id();
    const auto path = dir / fmt::format("{}.jpg", sample_id);
    if (keeps_images_) {  // named as the file it would be
      db_.prepare("UPDATE face_samples SET image_path = ?, image = ? WHERE id = ?")
          .bind(1, path.lexically_relative(data_dir_).string())
          .bind(2, std::span<const std::uint8_t>(s.jpeg))
          .bind(3, sample_id)
          .run();
      continue;
    }
    write_file_atomically(path, s.jpeg);
    written.push_back(path);
    db_.prepare("UPDATE face_samples SET image_path = ? WHERE id = ?")
        .bind(1, path.string())
        .bind(2, sample_id)
        .run();
  }
}

bool GalleryStore::remove(std::int64_t person_id) {
  db_.prepare("DELETE FROM people WHERE id = ?").bind(1, person_id).run();  // samples go by ON DELETE CASCADE
  if (db_.changes() == 0) return false;
  std::error_code ec;
  std::filesystem::remove_all(sample_dir(person_id), ec);
  return true;
}

Person GalleryStore::update(std::int64_t person_id, const std::optional<std::string>& raw_name,
                            std::optional<PersonKind> kind) {
  Person person;
  db_.transaction([&] {
    auto found = find(person_id);
    if (!found) {
      throw GalleryError(GalleryError::Code::unknown_person, fmt::format("no person with id {}", person_id));
    }
    person = *found;
    if (raw_name) {
      const auto name = canonical(*raw_name);
      const auto other = find(name);
      if (other && other->id != person_id) {
        throw GalleryError(GalleryError::Code::name_taken, fmt::format("\"{}\" already exists", name));
      }
      person.name = name;
    }
    if (kind) person.kind = *kind;
    db_.prepare("UPDATE people SET name = ?, kind = ? WHERE id = ?")
        .bind(1, person.name)
        .bind(2, to_string(person.kind))
        .bind(3, person_id)
        .run();
  });
  return person;
}

namespace {

SampleSummary sample_of(Statement& stmt) {
  return {stmt.integer(0), stmt.text(1), stmt.real(2), stmt.real(3), stmt.text(4), stmt.text(5)};
}

constexpr const char* kSampleColumns =
    "SELECT id, source, sharpness, width_px, created_at, image_path FROM face_samples";

}  // namespace

std::vector<SampleSummary> GalleryStore::samples(std::int64_t person_id) {
  auto stmt = db_.prepare(fmt::format("{} WHERE person_id = ? ORDER BY id", kSampleColumns));
  stmt.bind(1, person_id);
  std::vector<SampleSummary> out;
  while (stmt.step()) out.push_back(sample_of(stmt));
  return out;
}

std::optional<SampleSummary> GalleryStore::sample(std::int64_t person_id, std::int64_t sample_id) {
  auto stmt = db_.prepare(fmt::format("{} WHERE person_id = ? AND id = ?", kSampleColumns));
  stmt.bind(1, person_id).bind(2, sample_id);
  if (!stmt.step()) return std::nullopt;
  return sample_of(stmt);
}

bool GalleryStore::remove_sample(std::int64_t person_id, std::int64_t sample_id) {
  const auto found = sample(person_id, sample_id);
  if (!found) return false;
  db_.prepare("DELETE FROM face_samples WHERE id = ?").bind(1, sample_id).run();
  if (in_a_file(*found)) {
    std::error_code ec;
    std::filesystem::remove(found->image, ec);  // a file already gone is no reason to keep the row
  }
  return true;
}

std::optional<std::vector<std::uint8_t>> GalleryStore::sample_image(std::int64_t person_id,
                                                                    std::int64_t sample_id) {
  if (keeps_images_) {
    auto row =
        db_.prepare("SELECT image FROM face_samples WHERE person_id = ? AND id = ? AND image IS NOT NULL");
    row.bind(1, person_id).bind(2, sample_id);
    if (row.step()) return std::vector<std::uint8_t>(row.blob(0).begin(), row.blob(0).end());
  }
  const auto found = sample(person_id, sample_id);
  if (!found || !in_a_file(*found)) return std::nullopt;
  return read_whole_file(found->image);
}

bool GalleryStore::in_a_file(const SampleSummary& sample) const {
  // On PostgreSQL, only samples enrolled before the records kept images have a file (on the door that
  // enrolled them); the others' image_path is a name, relative.
  return !sample.image.empty() && (!keeps_images_ || sample.image.is_absolute());
}

std::optional<Person> GalleryStore::find(std::int64_t id) {
  auto stmt = db_.prepare("SELECT id, name, kind FROM people WHERE id = ?");
  stmt.bind(1, id);
  if (!stmt.step()) return std::nullopt;
  return Person{stmt.integer(0), stmt.text(1), model::person_kind(stmt.text(2))};
}

std::optional<Person> GalleryStore::find(const std::string& raw_name) {
  const auto normalised = normalize_name(raw_name);
  const auto* name = std::get_if<std::string>(&normalised);
  if (name == nullptr) return std::nullopt;
  auto stmt = db_.prepare("SELECT id, name, kind FROM people WHERE lower(name) = lower(?)");
  stmt.bind(1, *name);
  if (!stmt.step()) return std::nullopt;
  return Person{stmt.integer(0), stmt.text(1), model::person_kind(stmt.text(2))};
}

std::vector<PersonSummary> GalleryStore::list() {
  auto stmt = db_.prepare(
      "SELECT p.id, p.name, p.kind, p.created_at, COUNT(s.id), coalesce(MIN(s.id), 0) FROM people p "
      "LEFT JOIN face_samples s ON s.person_id = p.id GROUP BY p.id ORDER BY lower(p.name), p.name");
  std::vector<PersonSummary> out;
  while (stmt.step()) {
    out.push_back({{stmt.integer(0), stmt.text(1), model::person_kind(stmt.text(2))},
                   static_cast<std::size_t>(stmt.integer(4)),
                   stmt.text(3),
                   stmt.integer(5)});
  }
  return out;
}

std::size_t GalleryStore::count_samples(PersonKind kind) {
  auto stmt =
      db_.prepare("SELECT COUNT(*) FROM face_samples s JOIN people p ON p.id = s.person_id WHERE p.kind = ?");
  stmt.bind(1, to_string(kind)).step();
  return static_cast<std::size_t>(stmt.integer(0));
}

std::int64_t GalleryStore::generation() {
  auto stmt = db_.prepare("SELECT generation FROM gallery_generation");
  return stmt.step() ? stmt.integer(0) : 0;
}

model::GalleryIndex GalleryStore::load_index() {
  return load(std::nullopt);
}

model::GalleryIndex GalleryStore::load_people(std::span<const std::int64_t> ids) {
  return load(ids);
}

GalleryChanges GalleryStore::changes_since(std::int64_t generation) {
  if (db_.dialect() != Dialect::postgres) throw DatabaseError("the gallery's change log is PostgreSQL's");
  // One statement, one snapshot: the generation and the rows stamped up to it.
  auto stmt = db_.prepare(
      "SELECT g.generation, g.pruned_through, coalesce(c.person_id, 0) FROM gallery_generation g LEFT JOIN "
      "(SELECT DISTINCT person_id FROM gallery_changes WHERE generation > ?) c ON true ORDER BY 3");
  stmt.bind(1, generation);
  GalleryChanges changes;
  while (stmt.step()) {
    changes.generation = stmt.integer(0);
    changes.complete = generation >= stmt.integer(1);
    if (stmt.integer(2) != 0) changes.people.push_back(stmt.integer(2));
  }
  return changes;
}

std::int64_t GalleryStore::forget_changes(const std::string& before) {
  if (db_.dialect() != Dialect::postgres) throw DatabaseError("the gallery's change log is PostgreSQL's");
  std::int64_t forgotten = 0;
  db_.transaction([&] {
    auto gone = db_.prepare(
        "WITH gone AS (DELETE FROM gallery_changes WHERE at < ? AND generation IS NOT NULL RETURNING "
        "generation) SELECT count(*), coalesce(max(generation), 0) FROM gone");
    gone.bind(1, before).step();
    forgotten = gone.integer(0);
    db_.prepare("UPDATE gallery_generation SET pruned_through = greatest(pruned_through, ?)")
        .bind(1, gone.integer(1))
        .run();
  });
  return forgotten;
}

model::GalleryIndex GalleryStore::load(std::optional<std::span<const std::int64_t>> ids) {
  auto people = db_.prepare(
      fmt::format("SELECT p.id, count(s.id) FROM people p LEFT JOIN face_samples s ON s.person_id = p.id {} "
                  "GROUP BY p.id ORDER BY p.id",
                  ids ? "WHERE p.id " + among(db_.dialect()) : ""));
  if (ids) people.bind(1, ids_json(*ids));
  std::vector<std::vector<std::int64_t>> batches(1);
  std::int64_t batch_samples = 0;
  while (people.step()) {
    if (!batches.back().empty() && batch_samples + people.integer(1) > kBatchSamples) {
      batches.emplace_back();
      batch_samples = 0;
    }
    batches.back().push_back(people.integer(0));
    batch_samples += people.integer(1);
  }
  model::GalleryIndex index;
  for (const auto& batch : batches) {
    if (!batch.empty()) load_batch(batch, index);
  }
  return index;
}

void GalleryStore::load_batch(std::span<const std::int64_t> ids, model::GalleryIndex& index) {
  const auto only = "WHERE person_id " + among(db_.dialect());
  const auto ids_text = ids_json(ids);
  std::map<std::int64_t, std::vector<model::Descriptor>> negatives;
  auto negative =
      db_.prepare(fmt::format("SELECT person_id, descriptor FROM face_negatives {} ORDER BY id", only));
  negative.bind(1, ids_text);
  while (negative.step()) read_descriptor(negative.blob(1), negatives[negative.integer(0)]);
  auto stmt = db_.prepare(
      fmt::format("SELECT p.id, p.name, p.kind, s.descriptor FROM people p LEFT JOIN face_samples s ON "
                  "s.person_id = p.id WHERE p.id {} ORDER BY p.id, s.id",
                  among(db_.dialect())));
  stmt.bind(1, ids_text);
  std::optional<Person> person;
  std::vector<model::Descriptor> samples;
  const auto flush = [&] {
    if (person) {
      const auto found = negatives.find(person->id);
      index.add(std::move(*person), samples,
                found == negatives.end() ? std::span<const model::Descriptor>() : found->second);
    }
    samples.clear();
  };
  while (stmt.step()) {
    if (!person || person->id != stmt.integer(0)) {
      flush();
      person = Person{stmt.integer(0), stmt.text(1), model::person_kind(stmt.text(2))};
    }
    read_descriptor(stmt.blob(3), samples);
  }
  flush();
}

void GalleryStore::add_negative(std::int64_t person_id, const model::Descriptor& descriptor) {
  db_.prepare("INSERT INTO face_negatives (person_id, descriptor) VALUES (?, ?)")
      .bind(1, person_id)
      .bind(2, descriptor_bytes(descriptor))
      .run();
}

}  // namespace doorbell::storage
