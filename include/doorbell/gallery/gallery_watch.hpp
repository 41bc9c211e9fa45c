#pragma once
// GalleryWatch: keeps a door's gallery fresh when several doors share it (PostgreSQL). It LISTENs for
// doorbell_gallery — notified in the same commit as every change to people, samples or negatives, by
// any door, the CLI or the API — and refreshes the GalleryCache at once (the people changed only). While
// the database is away it tries again every second (the cache keeps the faces loaded last) and refreshes
// when it is back with what it missed. Owns a thread and its two connections; thread-safe.

#include <memory>
#include <stop_token>

#include "doorbell/common/health.hpp"
#include "doorbell/common/worker.hpp"
#include "doorbell/gallery/gallery_cache.hpp"
#include "doorbell/storage/location.hpp"

namespace doorbell::gallery {

class GalleryWatch {
 public:
  GalleryWatch(storage::Location where, GalleryCache& cache, Component& component);
  ~GalleryWatch();
  GalleryWatch(const GalleryWatch&) = delete;
  GalleryWatch& operator=(const GalleryWatch&) = delete;

 private:
  void run(std::stop_token stop, Component& component);

  const storage::Location where_;
  GalleryCache& cache_;
  std::unique_ptr<Worker> worker_;  // last: stops before the rest goes
};

}  // namespace doorbell::gallery
