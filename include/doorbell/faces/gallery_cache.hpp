#pragma once
// GalleryCache: the current GalleryIndex, shared by every reader (HTTP identify, recognition workers)
// and reloaded from SQLite on first use after a change. Thread-safe.

#include <memory>
#include <mutex>

#include "doorbell/recognition/gallery_index.hpp"
#include "doorbell/storage/gallery_store.hpp"

namespace doorbell::faces {

class GalleryCache {
 public:
  // The index as of the last change; `store` (the caller's connection) loads it when stale.
  std::shared_ptr<const recognition::GalleryIndex> get(storage::GalleryStore& store) {
    std::lock_guard lock(mutex_);
    if (!index_) index_ = std::make_shared<const recognition::GalleryIndex>(store.load_index());
    return index_;
  }
  void invalidate() {
    std::lock_guard lock(mutex_);
    index_.reset();
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<const recognition::GalleryIndex> index_;
};

}  // namespace doorbell::faces
