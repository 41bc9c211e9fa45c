#pragma once
// GalleryWatch: keeps a door's gallery fresh when several doors share it (PostgreSQL). It LISTENs for
// doorbell_gallery — notified in the same commit as every change to people, samples or negatives, by
// any door, the CLI or the API — and refreshes the GalleryCache at once (the people changed only), and
// for doorbell_visitors — every change to the familiar faces — on which it calls `visitors_changed`.
// While the database is away it tries again every second (the cache keeps the faces loaded last) and
// loads the whole gallery (and calls `visitors_changed`) again once it is back. It keeps a copy of the index
// on the door's disk, written once the gallery has been quiet for 2 s (at least every minute while it keeps
// changing, when the door stops, and again after a write that failed), not after each refresh, and read when
// the door starts: a door started while the database is away still names the people it knew. Hourly it
// deletes the change log's rows older than a week. Owns a thread and its two connections; thread-safe.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>

#include "doorbell/common/clock.hpp"
#include "doorbell/common/health.hpp"
#include "doorbell/common/worker.hpp"
#include "doorbell/gallery/gallery_cache.hpp"
#include "doorbell/storage/location.hpp"

namespace doorbell::gallery {

// The door's copy of the index, as of a generation.
struct GalleryCopy {
  model::GalleryIndex index;
  std::int64_t generation = 0;
};
// Writes one (a CBOR header, then the descriptors as they are in memory: the copy is only read on the
// machine that wrote it), whole or not at all; throws std::system_error.
void save_gallery_copy(const std::filesystem::path& file, const model::GalleryIndex& index,
                       std::int64_t generation);
// nullopt when there is no copy, or it cannot be read (logged).
std::optional<GalleryCopy> load_gallery_copy(const std::filesystem::path& file);

class GalleryWatch {
 public:
  // `component` is degraded while the door's copy cannot be written. `clock` times the quiet before a
  // copy and the change log's pruning; it must outlive the watch.
  GalleryWatch(storage::Location where, GalleryCache& cache, Component& component, const Clock& clock,
               std::function<void()> visitors_changed = {});
  ~GalleryWatch();
  GalleryWatch(const GalleryWatch&) = delete;
  GalleryWatch& operator=(const GalleryWatch&) = delete;

 private:
  // Changes to the index not yet in the copy on disk; the watch thread's.
  struct UnsavedChanges {
    std::optional<Clock::time_point> since;  // the first one, if any
    Clock::time_point last;
    bool failing = false;  // the last write failed (said once)
    void changed(Clock::time_point now);
    bool due(Clock::time_point now, std::chrono::nanoseconds quiet,
             std::chrono::nanoseconds at_least_every) const;
  };

  // Whether the familiar faces must be read again; the watch thread's.
  struct Visitors {
    bool stale = false;    // changed since last read
    bool failing = false;  // the last read failed (said once)
  };

  void run(std::stop_token stop, Component& component);
  void tell(Visitors& visitors) const;  // calls visitors_changed_; stale until it succeeds
  void keep_copy(UnsavedChanges& unsaved, Component& component);  // the copy on disk follows the index

  const storage::Location where_;
  const std::filesystem::path copy_file_;
  std::int64_t copied_generation_ = -1;  // of the copy on disk; the watch thread's
  GalleryCache& cache_;
  const Clock& clock_;
  const std::function<void()> visitors_changed_;  // on the watch thread; may throw storage::DatabaseError
  std::unique_ptr<Worker> worker_;                // last: stops before the rest goes
};

}  // namespace doorbell::gallery
