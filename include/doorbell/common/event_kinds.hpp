#pragma once
// The kinds an event can have, worst first: what the notification filters, the events API and the
// metrics speak of.

#include <algorithm>
#include <array>
#include <string_view>

namespace doorbell {

// `interrupted`: a ring the daemon accepted but did not live to decide (a crash, a power cut, a shutdown
// with rings still queued), recorded at the next start.
inline constexpr std::array<std::string_view, 5> kEventKinds{"blacklisted", "known", "unknown", "no_face",
                                                             "interrupted"};

inline bool is_event_kind(std::string_view kind) {
  return std::find(kEventKinds.begin(), kEventKinds.end(), kind) != kEventKinds.end();
}

}  // namespace doorbell
