#pragma once
// The vote of one ring's frames: faces are grouped across frames by descriptor distance (two faces of one
// frame are two people), each group is matched frame by frame and the matches vote (ties go to the
// blacklist, then to a known person). Pure; thread-safe.

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "doorbell/model/face.hpp"
#include "doorbell/model/gallery_index.hpp"

namespace doorbell::decision {

// One person at the door, as the frames voted.
struct FaceVote {
  model::Verdict verdict = model::Verdict::unknown;
  std::optional<model::Person> person;  // for known and blacklisted faces
  double distance = 0;                  // best distance to that person (or to the nearest one, when unknown)
  std::size_t frames = 0;               // frames the face was usable in
  std::size_t votes = 0;                // of those, frames that agreed with the verdict
  std::size_t best_frame = 0;           // frame index where the face was largest
  model::Box box;                       // the face in that frame
  model::Descriptor descriptor{};       // and its descriptor and quality
  model::Quality quality;
};

// frames[i] holds the faces found in frame i; faces without a descriptor (failed the gate) are ignored.
std::vector<FaceVote> vote_faces(std::span<const std::vector<model::Face>> frames,
                                 const model::GalleryIndex& gallery, const model::MatchPolicy& policy);

}  // namespace doorbell::decision
