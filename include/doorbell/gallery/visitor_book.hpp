#pragma once
// VisitorBook: familiar faces. Every unknown face seen at the door joins the visitor cluster of its
// nearest earlier face within visitors.threshold, or starts a new one ("Visitor 7, seen 5 times");
// faces of an ignored cluster (the postman) are never notified as unknown and never taken for a family
// member they are nearer to. Keeps every cluster's descriptors in memory for matching and changes them
// through its VisitorStore. Thread-safe (one mutex; listings go through a second connection).

#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "doorbell/config/config.hpp"
#include "doorbell/decision/ring_decision.hpp"
#include "doorbell/storage/visitor_store.hpp"

namespace doorbell::gallery {

class VisitorBook {
 public:
  // Throws storage::DatabaseError when the database cannot be opened.
  VisitorBook(const storage::Location& where, const VisitorsConfig& config);

  // Decides a ring over the clusters as they stand — under the book's lock, so two rings never start two
  // clusters for one stranger — and applies the decision: new clusters made, faces joined (each outcome's
  // visitor then holds its cluster's id and seen count). A cluster that cannot be made (storage failing),
  // or clusters that cannot be read yet, leave the face without one (logged).
  decision::Decision decide(const std::function<decision::Decision(const decision::VisitorView&)>& decide);

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
  void name_faces(const std::vector<std::int64_t>& face_ids, const model::Person& person);
  void reject(std::int64_t face_id, const model::Person& person);  // "this is not `person`"
  // Reads the clusters again: another door changed them (GalleryWatch, on doorbell_visitors). Read without
  // holding up a ring; the faces this door sighted whose events are not stored yet are kept, and a read
  // that a change made here overtook is dropped. Throws storage::DatabaseError.
  void refresh();
  // Deletes the clusters not seen for visitors.keep_days (and reloads, after retention pruned events).
  std::int64_t expire(std::chrono::system_clock::time_point now);
  // The periodic re-clustering: clusters that a later face bridged (any two faces within the threshold)
  // become one, the oldest; ignored ones and ones the household split off stay as they are. Returns how
  // many clusters were merged into others.
  std::int64_t merge_bridged();

 private:
  void reload();                                    // mutex_ held
  void take(std::vector<model::Visitor> clusters);  // the clusters just read; mutex_ held
  // After the clusters were read: the faces sighted here and not among them yet join them again (those
  // now stored, or whose cluster went, are forgotten). mutex_ held.
  void keep_unstored();
  void apply(decision::PersonDecision& person);                              // mutex_ held
  model::Sighting join(std::size_t cluster, const model::Descriptor& face);  // mutex_ held

  const VisitorsConfig& config_;
  std::mutex mutex_;
  storage::VisitorStore store_;           // guarded by mutex_
  std::vector<model::Visitor> clusters_;  // guarded by mutex_
  bool loaded_ = false;  // clusters_ read from the records (not yet: a door started while they are away)
  // A face sighted here, until its event is stored (or it is one of the oldest kUnstoredKept).
  struct Sighted {
    std::int64_t cluster;
    model::Descriptor face;
  };
  std::deque<Sighted> unstored_;     // guarded by mutex_
  std::uint64_t local_reloads_ = 0;  // guarded by mutex_
  std::mutex reader_mutex_;
  storage::VisitorStore reader_;  // listings; guarded by reader_mutex_
};

}  // namespace doorbell::gallery
