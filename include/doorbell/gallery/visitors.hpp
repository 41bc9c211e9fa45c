#pragma once
// Turns the faces seen in several frames of one ring into one decision per person at the door:
// faces are grouped across frames by descriptor distance, each group is matched frame by frame and
// the matches vote (ties go to the blacklist, then to a known person). Stateless; thread-safe.

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "doorbell/gallery/gallery_index.hpp"
#include "doorbell/recognition/face.hpp"

namespace doorbell::gallery {

struct Visitor {
  Verdict verdict = Verdict::unknown;
  std::optional<Person> person;          // for known and blacklisted visitors
  double distance = 0;                   // best distance to that person (or to the nearest one, when unknown)
  std::size_t frames = 0;                // frames the visitor's face was usable in
  std::size_t votes = 0;                 // of those, frames that agreed with the verdict
  std::size_t best_frame = 0;            // frame index where the face was largest
  recognition::Box box;                  // the face in that frame
  recognition::Descriptor descriptor{};  // and its descriptor and quality
  recognition::Quality quality;
};

// frames[i] holds the faces found in frame i; faces without a descriptor (failed the gate) are ignored.
std::vector<Visitor> decide_visitors(std::span<const std::vector<recognition::Face>> frames,
                                     const GalleryIndex& gallery, const MatchPolicy& policy);

}  // namespace doorbell::gallery
