#pragma once
// Where a ring is decided. The faces of the ring's chosen frames, the gallery and the familiar faces in;
// a Decision out: one FaceOutcome per person at the door (the frames' vote, then the familiar faces'
// rules), the visitor cluster each stranger joins, and the event's kind. No I/O, no clock, no dlib: pure
// and thread-safe. VisitorBook::decide runs it over its clusters and applies what it says.

#include <cstddef>
#include <span>
#include <vector>

#include "doorbell/decision/face_votes.hpp"
#include "doorbell/model/event_kind.hpp"
#include "doorbell/model/face.hpp"
#include "doorbell/model/gallery_index.hpp"
#include "doorbell/model/visitor.hpp"

namespace doorbell::decision {

struct Rules {
  model::MatchPolicy match;        // recognition.match_threshold, match_margin
  double visitor_threshold = 0.5;  // visitors.threshold: how near a stranger must be to join a cluster
};

// What a ring's frames showed: frames[i] holds the faces found in chosen frame i. `camera_down`: a camera
// is configured but gave no fresh frame, so nobody could be seen (and `frames` is empty).
struct Seen {
  std::span<const std::vector<model::Face>> frames;
  bool camera_down = false;
};

// The familiar faces a decision may place a face in: every cluster, in the order of their ids. `known`:
// the clusters could be read; when false, no face joins one.
struct VisitorView {
  std::span<const model::Visitor> clusters;
  bool known = true;
};

// Where a face goes among the familiar faces.
struct Placement {
  enum class Kind { none, join, new_visitor };
  Kind kind = Kind::none;
  std::size_t cluster = 0;  // for join: its index in VisitorView::clusters
};

// One person at the door: the outcome as recorded and told (its `visitor` holds the cluster's id, its
// ignored flag and seen count — 0 for a new cluster, until VisitorBook gives it its id), the vote it came
// from (descriptor, quality, best frame) and where it goes among the familiar faces.
struct PersonDecision {
  model::FaceOutcome outcome;
  FaceVote vote;
  Placement placement;
};

struct Decision {
  model::EventKind kind = model::EventKind::no_face;
  std::vector<PersonDecision> people;  // in the order their faces were first seen
  // The frame to keep as the snapshot: the first person's best frame, else the newest frame (none: 0).
  std::size_t snapshot_frame = 0;
};

// One voted face under the familiar faces' rules: a stranger joins the nearest cluster within
// `visitor_threshold`, or starts one; a face taken for a known person but nearer to an ignored cluster than
// to that person is that ignored visitor (the postman, not the family member); the blacklist is never
// overruled.
PersonDecision decide_person(FaceVote vote, const VisitorView& visitors, double visitor_threshold);

Decision decide(const Seen& seen, const model::GalleryIndex& gallery, const VisitorView& visitors,
                const Rules& rules);
// The same in two steps, so that the frames' vote (matching against the gallery: the costly part) runs
// before the familiar faces are locked: decide() is decide_votes(vote_faces(...), ...).
Decision decide_votes(std::vector<FaceVote> votes, const Seen& seen, const VisitorView& visitors,
                      const Rules& rules);

}  // namespace doorbell::decision
