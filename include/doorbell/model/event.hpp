#pragma once
// Event: one ring's outcome as every layer speaks of it — when, where, from what, its kind, one
// FaceOutcome per person at the door, the snapshot, the trace — and the described faces kept with it for
// familiar faces. Value types.

#include <cstdint>
#include <string>
#include <vector>

#include "doorbell/model/descriptor.hpp"
#include "doorbell/model/event_kind.hpp"
#include "doorbell/model/face_outcome.hpp"

namespace doorbell::model {

// One described face of an event, kept for familiar faces: what it looked like and who it was taken for.
struct DescribedFace {
  int position = 0;  // its index in Event::faces
  Descriptor descriptor{};
  double sharpness = 0;
  double width_px = 0;
  std::vector<std::uint8_t> crop;  // the face in the frame, JPEG
  std::int64_t person_id = 0;      // the person it was named as; 0: none
  VisitorId visitor_id = 0;        // the visitor cluster it joined; 0: none
};

struct Event {
  std::int64_t id = 0;
  // Chosen before the event is first stored (storage::event_key): storing it again finds the event
  // stored. Empty: one is chosen as it is stored.
  std::string idempotency_key;
  std::string door;          // door.id of the door that rang
  std::string time;          // ISO 8601 UTC (time_text.hpp), when the ring happened
  bool clock_synced = true;  // `time` came from a synchronised wall clock (false: it may be far off)
  std::string source;        // http, gpio, presence
  EventKind kind = EventKind::no_face;
  std::vector<FaceOutcome> faces;
  std::vector<std::string> names;  // of the faces named, in their order
  // The snapshot (JPEG): its file on this door's disk, or — when the records keep it (PostgreSQL) — the
  // name of the file it would be. Empty when there was no frame, or the snapshot was pruned.
  std::string snapshot_path;
  std::int64_t snapshot_bytes = 0;
  std::string trace_id;  // the ring's trace and span (hex), when it was sampled
  std::string span_id;
  double latency_seconds = 0;
  std::int64_t ring_id = 0;  // the ring journal's row this decision ends (deleted with the insert); not kept
  std::vector<DescribedFace> described;  // written with the event (table event_faces); not read back
};

}  // namespace doorbell::model
