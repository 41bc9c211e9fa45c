#pragma once
// VisitorStore: the faces seen at the door (table event_faces) and the visitor clusters that unknown ones
// form (table visitors) in SQLite: sightings, listings, crops, and the changes people make — ignore,
// merge, split, delete, name as a person, "this is not X" — each in one transaction that also relabels
// the events the faces belong to. Owns a database connection: not thread-safe; open one per thread.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "doorbell/model/descriptor.hpp"
#include "doorbell/model/person.hpp"
#include "doorbell/model/visitor.hpp"
#include "doorbell/storage/database.hpp"
#include "doorbell/storage/location.hpp"

namespace doorbell::storage {

// A face seen at the door, as stored.
struct SeenFace {
  std::int64_t id = 0;
  std::int64_t event_id = 0;  // 0: its event was deleted (a face of an ignored visitor)
  int position = 0;           // in the event's faces
  std::string time;           // the event's
  model::Descriptor descriptor{};
  double sharpness = 0;
  double width_px = 0;
  std::int64_t person_id = 0;
  std::int64_t visitor_id = 0;
};

struct VisitorSummary {
  std::int64_t id = 0;
  bool ignored = false;
  std::int64_t seen = 0;   // events
  std::int64_t faces = 0;  // faces kept
  std::string first_seen;  // the oldest and newest of those events (empty: none left)
  std::string last_seen;
  std::int64_t face_id = 0;  // its sharpest large face, its picture in a list
};

struct VisitorQuery {
  std::optional<std::string> since;  // seen at or after (ISO 8601)
  std::optional<std::string> until;  // seen before
  std::optional<bool> ignored;
  int limit = 50;
};

// Deletes the clusters left without a face (not ignored, made over an hour ago).
void drop_empty_clusters(Database& db);

class VisitorStore {
 public:
  explicit VisitorStore(const Location& where);

  std::vector<model::Visitor> clusters();  // every cluster with its faces' descriptors
  std::int64_t create_cluster();

  std::vector<VisitorSummary> list(const VisitorQuery& query);  // the last seen (recorded) first
  std::optional<VisitorSummary> get(std::int64_t visitor_id);
  std::vector<SeenFace> faces_of(std::int64_t visitor_id);  // newest first
  std::optional<SeenFace> face(std::int64_t face_id);
  std::optional<SeenFace> face_at(std::int64_t event_id, int position);
  std::vector<SeenFace> faces_of_event(std::int64_t event_id);
  std::optional<std::vector<std::uint8_t>> crop(std::int64_t face_id);

  bool set_ignored(std::int64_t visitor_id, bool ignored);  // false: no such cluster
  // Moves every face of `from` into `into` and deletes `from`; false when either is missing or they are one.
  bool merge(std::int64_t into, std::int64_t from);
  // Moves faces into cluster `visitor_id` (a new one when 0, `separate` as asked) and relabels their
  // events as that visitor; returns the cluster. Faces named as a person lose the name.
  std::int64_t move_faces(const std::vector<std::int64_t>& face_ids, std::int64_t visitor_id,
                          bool separate = false);
  // Deletes the cluster and its faces (descriptors and crops); the events stay, their faces unnamed.
  bool remove(std::int64_t visitor_id);
  // Names faces as `person` and relabels their events; the clusters they leave go when left empty.
  void name_faces(const std::vector<std::int64_t>& face_ids, const model::Person& person);
  // "This is not `person`": the face becomes a negative of theirs and joins visitor cluster `visitor_id`.
  void reject(std::int64_t face_id, std::int64_t person_id, std::int64_t visitor_id);
  // Deletes clusters not ignored and not seen since `before` (ISO 8601), with their faces; returns how many.
  std::int64_t expire(const std::string& before);

 private:
  void relabel(const SeenFace& face, const model::Person* person);  // in a transaction

  Database db_;
};

}  // namespace doorbell::storage
