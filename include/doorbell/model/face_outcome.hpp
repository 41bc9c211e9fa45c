#pragma once
// What a ring's decision says about one person at the door: who they were taken for (Verdict), how sure,
// where, and the familiar-face cluster (Visitor) they joined. Value types.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "doorbell/model/descriptor.hpp"

namespace doorbell::model {

// Who a face was taken for: a person of the gallery, someone on the blacklist, or nobody the gallery knows.
enum class Verdict { known, blacklisted, unknown };
const char* to_string(Verdict verdict) noexcept;
std::optional<Verdict> parse_verdict(std::string_view text) noexcept;  // the inverse of to_string

// The id of a Visitor: a cluster of the unknown faces that look alike ("Visitor 7").
using VisitorId = std::int64_t;

// The visitor cluster a face joined at a ring.
struct Sighting {
  VisitorId visitor_id = 0;
  std::int64_t seen = 0;  // events it was seen in, this one included (0: not counted, a later correction)
  bool ignored = false;   // the household ignores it (the postman)
};

struct FaceOutcome {
  Verdict verdict = Verdict::unknown;
  std::string name{};  // the person's, when known or blacklisted
  // To that person's nearest sample (to the nearest person's, when unknown; infinite: nobody to compare).
  double distance = std::numeric_limits<double>::infinity();
  std::size_t votes = 0;   // frames that agreed with the verdict
  std::size_t frames = 0;  // frames the face was usable in
  Box box{};               // in the frame where it was largest
  std::optional<Sighting> visitor{};
  bool corrected = false;  // relabelled by the household after the ring
};

}  // namespace doorbell::model
