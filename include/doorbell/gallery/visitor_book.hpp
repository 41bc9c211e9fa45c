#pragma once
// VisitorBook: familiar faces. Every unknown face seen at the door joins the visitor cluster of its
// nearest earlier face within visitors.threshold, or starts a new one ("Visitor 7, seen 5 times");
// faces of an ignored cluster (the postman) are never notified as unknown and never taken for a family
// member they are nearer to. Keeps every cluster's descriptors in memory for matching and changes them
// through its VisitorStore. Thread-safe (one mutex; listings go through a second connection).

#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "doorbell/config/config.hpp"
#include "doorbell/gallery/visitors.hpp"
#include "doorbell/storage/visitor_store.hpp"

namespace doorbell::gallery {

// The cluster a face seen at a ring belongs to.
struct Sighting {
  std::int64_t visitor_id = 0;
  std::int64_t seen = 0;  // events it was seen in, this one included
  bool ignored = false;
};

class VisitorBook {
 public:
  // Throws storage::DatabaseError when the database cannot be opened.
  VisitorBook(const storage::Location& where, const VisitorsConfig& config);

  // The cluster of a visitor just decided: for an unknown face its nearest cluster within the
  // threshold, or a new one; a known face nearer to an ignored cluster than to its person becomes that
  // ignored visitor (`visitor` is changed to unknown). Blacklisted faces and other known faces: none. A
  // cluster that cannot be created (storage failing) leaves the face without one (logged).
  std::optional<Sighting> sight(Visitor& visitor);

  std::vector<storage::VisitorSummary> list(const storage::VisitorQuery& query);
  std::optional<storage::VisitorSummary> get(std::int64_t visitor_id);
  std::vector<storage::SeenFace> faces_of(std::int64_t visitor_id);
  std::optional<storage::SeenFace> face(std::int64_t face_id);
  std::optional<storage::SeenFace> face_at(std::int64_t event_id, int position);
  std::vector<storage::SeenFace> faces_of_event(std::int64_t event_id);
  std::optional<std::vector<std::uint8_t>> crop(std::int64_t face_id);

  bool set_ignored(std::int64_t visitor_id, bool ignored);
  bool merge(std::int64_t into, std::int64_t from);
  std::int64_t split(const std::vector<std::int64_t>& face_ids);  // into a new cluster; returns it
  bool remove(std::int64_t visitor_id);
  void name_faces(const std::vector<std::int64_t>& face_ids, const Person& person);
  void reject(std::int64_t face_id, const Person& person);  // "this is not `person`"
  // Reads the clusters again: another door changed them (GalleryWatch, on doorbell_visitors). Read without
  // holding up a ring; the faces this door sighted whose events are not stored yet are kept, and a read
  // that a change made here overtook is dropped. Throws storage::DatabaseError.
  void refresh();
  // Deletes the clusters not seen for visitors.keep_days (and reloads, after retention pruned events).
  std::int64_t expire();
  // The periodic re-clustering: clusters that a later face bridged (any two faces within the threshold)
  // become one, the oldest; ignored ones and ones the household split off stay as they are. Returns how
  // many clusters were merged into others.
  std::int64_t merge_bridged();

 private:
  void reload();                                           // mutex_ held
  void take(std::vector<storage::ClusterFaces> clusters);  // the clusters just read; mutex_ held
  // After the clusters were read: the faces sighted here and not among them yet join them again (those
  // now stored, or whose cluster went, are forgotten). mutex_ held.
  void keep_unstored();
  // The cluster with the face nearest to `probe` (clusters_.size() when there is none) and its distance.
  std::pair<std::size_t, double> nearest_cluster(const recognition::Descriptor& probe) const;  // mutex_ held
  Sighting join(std::size_t cluster, const Visitor& visitor);                                  // mutex_ held

  const VisitorsConfig& config_;
  std::mutex mutex_;
  storage::VisitorStore store_;                  // guarded by mutex_
  std::vector<storage::ClusterFaces> clusters_;  // guarded by mutex_
  bool loaded_ = false;  // clusters_ read from the records (not yet: a door started while they are away)
  // A face sighted here, until its event is stored (or it is one of the oldest kUnstoredKept).
  struct Sighted {
    std::int64_t cluster;
    recognition::Descriptor face;
  };
  std::deque<Sighted> unstored_;     // guarded by mutex_
  std::uint64_t local_reloads_ = 0;  // guarded by mutex_
  std::mutex reader_mutex_;
  storage::VisitorStore reader_;  // listings; guarded by reader_mutex_
};

}  // namespace doorbell::gallery
