#include "doorbell/gallery/gallery_watch.hpp"

#include <spdlog/spdlog.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "doorbell/common/interruptible_sleep.hpp"
#include "doorbell/storage/atomic_file.hpp"
#include "doorbell/storage/event_store.hpp"

namespace doorbell::gallery {
namespace {

constexpr auto kWait = std::chrono::milliseconds(500);  // how often a stop request is seen
constexpr auto kRetry = std::chrono::seconds(1);
constexpr auto kKeepChanges = std::chrono::hours(24 * 7);  // a door away longer loads everything again
constexpr auto kForgetEvery = std::chrono::hours(1);

constexpr int kCopyVersion = 1;

nlohmann::json::binary_t bytes_of(std::span<const float> values) {
  const auto* first = reinterpret_cast<const std::uint8_t*>(values.data());
  return nlohmann::json::binary_t(std::vector<std::uint8_t>(first, first + values.size_bytes()));
}

std::vector<recognition::Descriptor> descriptors_of(const nlohmann::json& value) {
  const auto& bytes = value.get_binary();
  if (bytes.size() % sizeof(recognition::Descriptor) != 0) throw std::runtime_error("a descriptor cut short");
  std::vector<recognition::Descriptor> out(bytes.size() / sizeof(recognition::Descriptor));
  if (!bytes.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

}  // namespace

void save_gallery_copy(const std::filesystem::path& file, const GalleryIndex& index,
                       std::int64_t generation) {
  auto people = nlohmann::json::array();
  for (std::size_t p = 0; p < index.people(); ++p) {
    const auto& person = index.persons()[p];
    people.push_back({{"id", person.id},
                      {"name", person.name},
                      {"kind", to_string(person.kind)},
                      {"samples", bytes_of(index.samples_of(p))},
                      {"negatives", bytes_of(index.negatives_of(p))}});
  }
  const auto cbor = nlohmann::json::to_cbor(
      {{"version", kCopyVersion}, {"generation", generation}, {"people", std::move(people)}});
  storage::write_file_atomically(file, cbor);
}

std::optional<GalleryCopy> load_gallery_copy(const std::filesystem::path& file) {
  const auto bytes = storage::read_whole_file(file);
  if (!bytes) return std::nullopt;
  try {
    const auto copy = nlohmann::json::from_cbor(*bytes);
    if (copy.at("version") != kCopyVersion) throw std::runtime_error("written by another version");
    GalleryIndex index;
    for (const auto& p : copy.at("people")) {
      Person person{p.at("id").get<std::int64_t>(), p.at("name").get<std::string>(),
                    person_kind(p.at("kind").get<std::string>())};
      index.add(std::move(person), descriptors_of(p.at("samples")), descriptors_of(p.at("negatives")));
    }
    return GalleryCopy{std::move(index), copy.at("generation").get<std::int64_t>()};
  } catch (const std::exception& e) {
    spdlog::warn("gallery: the copy {} cannot be read, and is not used: {}", file.string(), e.what());
    return std::nullopt;
  }
}

GalleryWatch::GalleryWatch(storage::Location where, GalleryCache& cache, Component& component)
    : where_(std::move(where)), copy_file_(where_.data_dir / "gallery-copy.cbor"), cache_(cache) {
  if (auto copy = load_gallery_copy(copy_file_)) {
    spdlog::info("gallery: {} people from the door's copy (generation {}) until the shared gallery answers",
                 copy->index.people(), copy->generation);
    copied_generation_ = copy->generation;
    cache_.seed(std::make_shared<const GalleryIndex>(std::move(copy->index)), copy->generation);
  }
  cache_.watch();
  worker_ = std::make_unique<Worker>(component,
                                     [this](std::stop_token stop, Component& c) { run(std::move(stop), c); });
}

GalleryWatch::~GalleryWatch() {
  stop_worker(worker_);
}

void GalleryWatch::run(std::stop_token stop, Component& component) {
  component.set_ready();  // rings match with the faces loaded last while the database is away
  std::optional<storage::Database> listener;
  std::optional<storage::GalleryStore> store;
  bool lost = false;
  auto forgot = std::chrono::steady_clock::now() - kForgetEvery;
  while (!stop.stop_requested()) {
    component.beat();
    try {
      if (!listener) {
        listener.emplace(storage::open_records(where_));
        listener->listen("doorbell_gallery");
        store.emplace(where_);
        // Everything, once per connection: what changed while nobody listened, or a database restored
        // from a backup, or another one — what the log cannot tell. Rings use the index held meanwhile.
        cache_.reload(*store);
        keep_copy();
        if (lost) spdlog::info("gallery: the shared database is back; faces loaded again");
        lost = false;
      }
      if (listener->wait_for_notification(kWait)) {
        cache_.refresh(*store);
        keep_copy();
      }
      if (std::chrono::steady_clock::now() - forgot >= kForgetEvery) {  // any door may; each does hourly
        forgot = std::chrono::steady_clock::now();
        store->forget_changes(storage::iso_time(std::chrono::system_clock::now() - kKeepChanges));
      }
    } catch (const std::exception& e) {
      if (!lost)
        spdlog::error("gallery: cannot follow the shared gallery (trying every second): {}", e.what());
      lost = true;
      listener.reset();
      store.reset();
      sleep_for(stop, kRetry);
    }
  }
}

void GalleryWatch::keep_copy() {
  const auto [index, generation] = cache_.current();
  if (!index || generation == copied_generation_) return;
  try {
    save_gallery_copy(copy_file_, *index, generation);
    copied_generation_ = generation;
  } catch (const std::exception& e) {  // the next change tries again; meanwhile a restart reads an older copy
    spdlog::warn("gallery: the door's copy of the gallery is not up to date: {}", e.what());
  }
}

}  // namespace doorbell::gallery
