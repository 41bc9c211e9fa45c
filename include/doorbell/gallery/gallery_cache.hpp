#pragma once
// GalleryCache: the current GalleryIndex, shared by every reader (HTTP identify, recognition workers) and
// reloaded from SQLite when the gallery's generation has moved — after a change committed by this
// process, the CLI or any other. Thread-safe.

#include <cstdint>
#include <memory>
#include <mutex>

#include "doorbell/gallery/gallery_index.hpp"
#include "doorbell/storage/gallery_store.hpp"

namespace doorbell::gallery {

class GalleryCache {
 public:
  // The index as of the newest committed change; `store` (the caller's connection) loads it when stale.
  std::shared_ptr<const gallery::GalleryIndex> get(storage::GalleryStore& store) {
    std::lock_guard lock(mutex_);
    // Read before loading: a change committed while loading moves it again, and the next get reloads.
    const auto generation = store.generation();
    if (!index_ || generation != generation_) {
      index_ = std::make_shared<const gallery::GalleryIndex>(store.load_index());
      generation_ = generation;
    }
    return index_;
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<const gallery::GalleryIndex> index_;  // guarded by mutex_
  std::int64_t generation_ = 0;                         // guarded by mutex_
};

}  // namespace doorbell::gallery
