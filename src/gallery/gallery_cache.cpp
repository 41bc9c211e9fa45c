#include "doorbell/gallery/gallery_cache.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace doorbell::gallery {

std::shared_ptr<const model::GalleryIndex> GalleryCache::get(storage::GalleryStore& store) {
  std::lock_guard lock(mutex_);
  if (watched_ && index_) return index_;
  try {
    // Read before loading: a change committed while loading moves it again, and the next get reloads.
    const auto generation = store.generation();
    if (!index_ || generation != generation_)
      keep(std::make_shared<const model::GalleryIndex>(store.load_index()), generation);
  } catch (const storage::DatabaseError& e) {
    if (!index_) throw;
    spdlog::warn("gallery: matching with the faces loaded last: {}", e.what());
  }
  return index_;
}

void GalleryCache::watch() {
  std::lock_guard lock(mutex_);
  watched_ = true;
}

void GalleryCache::reload(storage::GalleryStore& store) {
  const auto generation = store.generation();
  auto index = std::make_shared<const model::GalleryIndex>(store.load_index());
  std::lock_guard lock(mutex_);
  keep(std::move(index), generation);
}

void GalleryCache::refresh(storage::GalleryStore& store) {
  std::shared_ptr<const model::GalleryIndex> current;
  std::int64_t since = 0;
  {
    std::lock_guard lock(mutex_);
    current = index_;
    since = generation_;
  }
  if (!current) return reload(store);
  const auto changes = store.changes_since(since);
  if (changes.generation == since) return;
  std::shared_ptr<const model::GalleryIndex> index;
  if (changes.generation < since || !changes.complete) {
    spdlog::warn(
        "gallery: {}; every face loaded again",
        changes.complete
            ? fmt::format("the records went back from generation {} to {}", since, changes.generation)
            : fmt::format("the change log no longer reaches back to generation {}", since));
    index = std::make_shared<const model::GalleryIndex>(store.load_index());
  } else {
    index = std::make_shared<const model::GalleryIndex>(
        current->with_people(changes.people, store.load_people(changes.people)));
  }
  std::lock_guard lock(mutex_);
  if (index_ != current) return;  // a get() loaded another meanwhile: the next refresh starts from it
  keep(std::move(index), changes.generation);
}

std::pair<std::shared_ptr<const model::GalleryIndex>, std::int64_t> GalleryCache::current() {
  std::lock_guard lock(mutex_);
  return {index_, generation_};
}

void GalleryCache::seed(std::shared_ptr<const model::GalleryIndex> index, std::int64_t generation) {
  std::lock_guard lock(mutex_);
  if (!index_) keep(std::move(index), generation);
}

void GalleryCache::keep(std::shared_ptr<const model::GalleryIndex> index, std::int64_t generation) {
  if (loaded_ != nullptr) loaded_->Set(static_cast<double>(index->samples()));
  index_ = std::move(index);
  generation_ = generation;
}

}  // namespace doorbell::gallery
