#include "doorbell/gallery/gallery_cache.hpp"

#include <spdlog/spdlog.h>

namespace doorbell::gallery {

std::shared_ptr<const GalleryIndex> GalleryCache::get(storage::GalleryStore& store) {
  std::lock_guard lock(mutex_);
  if (watched_ && index_) return index_;
  try {
    // Read before loading: a change committed while loading moves it again, and the next get reloads.
    const auto generation = store.generation();
    if (!index_ || generation != generation_)
      keep(std::make_shared<const GalleryIndex>(store.load_index()), generation);
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
  auto index = std::make_shared<const GalleryIndex>(store.load_index());
  std::lock_guard lock(mutex_);
  if (index_ && generation < generation_) return;  // a get() meanwhile loaded a newer one
  keep(std::move(index), generation);
}

void GalleryCache::keep(std::shared_ptr<const GalleryIndex> index, std::int64_t generation) {
  if (loaded_ != nullptr) loaded_->Set(static_cast<double>(index->samples()));
  index_ = std::move(index);
  generation_ = generation;
}

}  // namespace doorbell::gallery
