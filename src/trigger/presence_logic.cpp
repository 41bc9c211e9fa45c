#include "doorbell/trigger/presence_logic.hpp"

namespace doorbell::trigger {

bool PresenceLogic::observe(time_point now, bool face_in_view, std::optional<time_point> last_ring) {
  if (visit_start_ && now - last_seen_ > times_.gap) visit_start_.reset();  // the visitor left
  if (!face_in_view) return false;
  if (!visit_start_) {
    visit_start_ = now;
    visit_handled_ = false;
  }
  last_seen_ = now;
  if (last_ring && *last_ring >= *visit_start_) visit_handled_ = true;  // they rang: no second event
  if (visit_handled_ || now - *visit_start_ < times_.dwell) return false;
  if (last_presence_ring_ && now - *last_presence_ring_ < times_.cooldown) return false;
  visit_handled_ = true;
  last_presence_ring_ = now;
  return true;
}

}  // namespace doorbell::trigger
