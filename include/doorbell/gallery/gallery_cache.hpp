#pragma once
// GalleryCache: the current GalleryIndex, shared by every reader (HTTP identify, recognition workers).
// Polled (one door, SQLite): reloaded when the gallery's generation has moved — after a change committed
// by this process, the CLI or any other. Watched (doors sharing PostgreSQL): refreshed by a GalleryWatch
// when the database says the gallery changed — only the people changed are read again — so a ring never
// waits for the database. When the records cannot be read, the index loaded last stays in use.
// Thread-safe.

#include <prometheus/gauge.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include "doorbell/model/gallery_index.hpp"
#include "doorbell/storage/gallery_store.hpp"

namespace doorbell::gallery {

class GalleryCache {
 public:
  // `loaded`, when given, shows the samples of the index loaded last.
  explicit GalleryCache(prometheus::Gauge* loaded = nullptr) : loaded_(loaded) {}

  // The index as of the newest committed change; `store` (the caller's connection) loads it when stale
  // (watched: only when none was loaded yet). Throws DatabaseError only when there is no index at all.
  std::shared_ptr<const model::GalleryIndex> get(storage::GalleryStore& store);
  // From now on a GalleryWatch calls refresh() after every change.
  void watch();
  // Loads the whole index now through `store` and keeps it (rings use the one held meanwhile). Throws
  // DatabaseError.
  void reload(storage::GalleryStore& store);
  // Puts the people changed since the index was loaded in place, read from the records' change log
  // (PostgreSQL; the whole gallery the first time, when the log no longer reaches back that far, or when
  // the records went back to an older generation: a database restored from a backup). Throws
  // DatabaseError.
  void refresh(storage::GalleryStore& store);
  // The index loaded last (nullptr: none yet) and the generation it is of.
  std::pair<std::shared_ptr<const model::GalleryIndex>, std::int64_t> current();
  // Takes `index` as of `generation` (the door's copy on its disk) while none is loaded yet.
  void seed(std::shared_ptr<const model::GalleryIndex> index, std::int64_t generation);

 private:
  void keep(std::shared_ptr<const model::GalleryIndex> index, std::int64_t generation);  // mutex_ held

  prometheus::Gauge* const loaded_;
  std::mutex mutex_;
  std::shared_ptr<const model::GalleryIndex> index_;  // guarded by mutex_
  std::int64_t generation_ = 0;                       // guarded by mutex_
  bool watched_ = false;                              // guarded by mutex_
};

}  // namespace doorbell::gallery
