#pragma once
// PresenceLogic: when a face lingering at the door becomes a "visitor without ring". A visit starts
// with the first sighting and lasts while sightings are less than `gap` apart (the detector misses the
// odd frame); once it has lasted `dwell` it rings — once per visit, not within `cooldown` of the
// previous presence ring, and not at all when somebody rang during the visit. Pure logic on
// steady-clock times; used by one thread.

#include <chrono>
#include <optional>

namespace doorbell::trigger {

struct PresenceTimes {
  std::chrono::nanoseconds dwell;
  std::chrono::nanoseconds gap;
  std::chrono::nanoseconds cooldown;
};

class PresenceLogic {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  explicit PresenceLogic(const PresenceTimes& times) : times_(times) {}

  // One check of the door: is a face in view now? `last_ring` is the latest accepted ring from any
  // source. True when a presence ring is due.
  bool observe(time_point now, bool face_in_view, std::optional<time_point> last_ring);

 private:
  const PresenceTimes times_;
  std::optional<time_point> visit_start_;
  time_point last_seen_{};
  bool visit_handled_ = false;  // rung for, or somebody rang during it
  std::optional<time_point> last_presence_ring_;
};

}  // namespace doorbell::trigger
