#include "doorbell/gallery/gallery_watch.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "doorbell/common/interruptible_sleep.hpp"
#include "doorbell/model/time_text.hpp"
#include "doorbell/storage/atomic_file.hpp"

namespace doorbell::gallery {
namespace {

constexpr std::string_view kGalleryChannel = "doorbell_gallery";    // people, samples, negatives
constexpr std::string_view kVisitorsChannel = "doorbell_visitors";  // the familiar faces
constexpr auto kWait = std::chrono::milliseconds(500);              // how often a stop request is seen
constexpr auto kRetry = std::chrono::seconds(1);
constexpr auto kKeepChanges = std::chrono::hours(24 * 7);  // a door away longer loads everything again
constexpr auto kForgetEvery = std::chrono::hours(1);
// The door's copy follows the index once the gallery has been quiet this long (an import of many people is
// written once, not after each; at 100,000 samples the copy is 52 MB), and at least this often while it
// keeps changing.
constexpr auto kCopyWhenQuiet = std::chrono::seconds(2);
constexpr auto kCopyAtLeastEvery = std::chrono::seconds(60);

// The copy: the length of its header (8 bytes), the header (CBOR: the version, the generation, and each
// person with the number of their samples and negatives), then the descriptors as they are in memory:
// every person's samples, then every person's negatives — written from the index in two pieces and read
// back without a parser touching each of their bytes (at 100,000 samples they are 51 MB).
constexpr int kCopyVersion = 3;
constexpr std::size_t kLengthBytes = sizeof(std::uint64_t);
constexpr std::uint64_t kMostHeaderBytes = 64 << 20;  // ~1 million people; a larger one is damaged

// `values` one after the other, a piece per run that lies together in memory.
void add_pieces(std::vector<std::span<const std::uint8_t>>& pieces, std::span<const float> values) {
  if (values.empty()) return;
  const auto* first = reinterpret_cast<const std::uint8_t*>(values.data());
  auto& last = pieces.back();
  if (last.data() + last.size() == first) {
    last = {last.data(), last.size() + values.size_bytes()};
  } else {
    pieces.emplace_back(first, values.size_bytes());
  }
}

// A count or id of the header: an integer, never a float cast into one.
template <typename Integer>
Integer integer_at(const nlohmann::json& value, const char* key) {
  const auto& field = value.at(key);
  if (!field.is_number_integer()) throw std::runtime_error(std::string(key) + " is not an integer");
  return field.get<Integer>();
}

// Reads descriptors from the copy's bytes, from `at` on; throws where they would run past its end.
class DescriptorReader {
 public:
  DescriptorReader(std::span<const std::uint8_t> bytes, std::size_t at) : bytes_(bytes), at_(at) {}
  // The next `count` descriptors (in `out`, reused).
  std::span<const model::Descriptor> next(std::uint64_t count, std::vector<model::Descriptor>& out) {
    skip(count);
    const auto size = static_cast<std::size_t>(count) * sizeof(model::Descriptor);
    out.resize(static_cast<std::size_t>(count));
    if (size > 0) std::memcpy(out.data(), bytes_.data() + at_ - size, size);
    return out;
  }
  void skip(std::uint64_t count) {
    if (count > (bytes_.size() - at_) / sizeof(model::Descriptor))
      throw std::runtime_error("its descriptors are cut short");
    at_ += static_cast<std::size_t>(count) * sizeof(model::Descriptor);
  }
  std::size_t at() const noexcept { return at_; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t at_;
};

}  // namespace

void save_gallery_copy(const std::filesystem::path& file, const model::GalleryIndex& index,
                       std::int64_t generation) {
  auto people = nlohmann::json::array();
  for (std::size_t p = 0; p < index.people(); ++p) {
    const auto& person = index.persons()[p];
    people.push_back({{"id", person.id},
                      {"name", person.name},
                      {"kind", to_string(person.kind)},
                      {"samples", index.samples_of(p).size() / model::kDescriptorSize},
                      {"negatives", index.negatives_of(p).size() / model::kDescriptorSize}});
  }
  const auto header = nlohmann::json::to_cbor(
      {{"version", kCopyVersion}, {"generation", generation}, {"people", std::move(people)}});
  const std::uint64_t length = header.size();
  std::vector<std::span<const std::uint8_t>> pieces{
      {reinterpret_cast<const std::uint8_t*>(&length), kLengthBytes}, header};
  for (std::size_t p = 0; p < index.people(); ++p) add_pieces(pieces, index.samples_of(p));
  for (std::size_t p = 0; p < index.people(); ++p) add_pieces(pieces, index.negatives_of(p));
  storage::write_file_atomically(file, pieces);
}

std::optional<GalleryCopy> load_gallery_copy(const std::filesystem::path& file) {
  const auto bytes = storage::read_whole_file(file);
  if (!bytes) return std::nullopt;
  try {
    std::uint64_t length = 0;
    if (bytes->size() < kLengthBytes) throw std::runtime_error("it is cut short");
    std::memcpy(&length, bytes->data(), kLengthBytes);
    if (length > kMostHeaderBytes || length > bytes->size() - kLengthBytes)
      throw std::runtime_error("its header is cut short");
    const auto header =
        nlohmann::json::from_cbor(std::span(*bytes).subspan(kLengthBytes, static_cast<std::size_t>(length)));
    if (header.at("version") != kCopyVersion) throw std::runtime_error("written by another version");
    const auto& people = header.at("people");
    DescriptorReader samples_from(*bytes, kLengthBytes + static_cast<std::size_t>(length));
    DescriptorReader negatives_from = samples_from;
    for (const auto& p : people) negatives_from.skip(integer_at<std::uint64_t>(p, "samples"));
    model::GalleryIndex index;
    std::vector<model::Descriptor> samples;
    std::vector<model::Descriptor> negatives;
    for (const auto& p : people) {
      model::Person person{integer_at<std::int64_t>(p, "id"), p.at("name").get<std::string>(),
                           model::person_kind(p.at("kind").get<std::string>())};
      const auto their_samples = samples_from.next(integer_at<std::uint64_t>(p, "samples"), samples);
      index.add(std::move(person), their_samples,
                negatives_from.next(integer_at<std::uint64_t>(p, "negatives"), negatives));
    }
    if (negatives_from.at() != bytes->size()) throw std::runtime_error("it has more descriptors than people");
    return GalleryCopy{std::move(index), integer_at<std::int64_t>(header, "generation")};
  } catch (const std::exception& e) {
    spdlog::warn("gallery: the copy {} cannot be read, and is not used: {}", file.string(), e.what());
    return std::nullopt;
  }
}

GalleryWatch::GalleryWatch(storage::Location where, GalleryCache& cache, Component& component,
                           const Clock& clock, std::function<void()> visitors_changed)
    : where_(std::move(where)),
      copy_file_(where_.data_dir / "gallery-copy.cbor"),
      cache_(cache),
      clock_(clock),
      visitors_changed_(std::move(visitors_changed)) {
  if (auto copy = load_gallery_copy(copy_file_)) {
    spdlog::info("gallery: {} people from the door's copy (generation {}) until the shared gallery answers",
                 copy->index.people(), copy->generation);
    copied_generation_ = copy->generation;
    cache_.seed(std::make_shared<const model::GalleryIndex>(std::move(copy->index)), copy->generation);
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
  auto forgot = clock_.now() - kForgetEvery;
  UnsavedChanges unsaved;
  Visitors visitors;
  while (!stop.stop_requested()) {
    component.beat();
    if (unsaved.due(clock_.now(), kCopyWhenQuiet, kCopyAtLeastEvery)) keep_copy(unsaved, component);
    try {
      if (!listener) {
        listener.emplace(storage::open_records(where_));
        listener->listen(kGalleryChannel);
        listener->listen(kVisitorsChannel);
        store.emplace(where_);
        // Everything, once per connection: what changed while nobody listened, or a database restored
        // from a backup, or another one — what the log cannot tell. Rings use the index held meanwhile.
        cache_.reload(*store);
        unsaved.changed(clock_.now());
        visitors.stale = true;
        if (lost) spdlog::info("gallery: the shared database is back; faces loaded again");
        lost = false;
      }
      const auto channels = listener->wait_for_notifications(kWait);
      if (channels.contains(kGalleryChannel)) {
        cache_.refresh(*store);
        unsaved.changed(clock_.now());
      }
      if (channels.contains(kVisitorsChannel)) visitors.stale = true;
      if (visitors.stale && visitors_changed_) tell(visitors);
      if (clock_.now() - forgot >= kForgetEvery) {  // any door may; each does hourly
        forgot = clock_.now();
        store->forget_changes(model::iso_time(clock_.wall_now() - kKeepChanges));
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
  if (unsaved.since) keep_copy(unsaved, component);  // the door stops: its next start reads what it knew last
}

void GalleryWatch::tell(Visitors& visitors) const {
  try {  // the gallery's connection is not at fault: tried again after the next wait
    visitors_changed_();
    if (visitors.failing) spdlog::info("visitors: the familiar faces are read again");
    visitors = {};
  } catch (const std::exception& e) {
    if (!visitors.failing)
      spdlog::error("visitors: cannot read the familiar faces again (trying): {}", e.what());
    visitors.failing = true;
  }
}

void GalleryWatch::UnsavedChanges::changed(Clock::time_point now) {
  last = now;
  if (!since) since = last;
}

bool GalleryWatch::UnsavedChanges::due(Clock::time_point now, std::chrono::nanoseconds quiet,
                                       std::chrono::nanoseconds at_least_every) const {
  return since && (now - last >= quiet || now - *since >= at_least_every);
}

void GalleryWatch::keep_copy(UnsavedChanges& unsaved, Component& component) {
  const auto [index, generation] = cache_.current();
  if (!index || generation == copied_generation_) {
    unsaved.since.reset();
    return;
  }
  try {
    save_gallery_copy(copy_file_, *index, generation);
    copied_generation_ = generation;
    unsaved.since.reset();
    if (unsaved.failing) {
      spdlog::info("gallery: the door's copy of the gallery is up to date again");
      component.set_ready();
    }
    unsaved.failing = false;
  } catch (const std::exception& e) {  // tried again when quiet as long again; a restart reads an older copy
    if (!unsaved.failing)
      spdlog::warn("gallery: the door's copy of the gallery is not up to date: {}", e.what());
    unsaved.failing = true;
    unsaved.since = unsaved.last = clock_.now();
    component.set_degraded(fmt::format("the door's copy of the gallery cannot be written: {}", e.what()));
  }
}

}  // namespace doorbell::gallery
