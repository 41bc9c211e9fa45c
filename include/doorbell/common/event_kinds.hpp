#pragma once
// The kinds an event can have, worst first: what the notification filters, the events API and the
// metrics speak of.

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

namespace doorbell {

// `ignored`: every face was a visitor someone chose to ignore (the postman). `interrupted`: a ring the
// daemon accepted but did not live to decide (a crash, a power cut, a shutdown with rings still queued),
// recorded at the next start. `camera_unavailable`: a ring while the camera gave no fresh frame (an
// outage), so nobody could be seen.
inline constexpr std::array<std::string_view, 7> kEventKinds{
    "blacklisted", "known", "unknown", "ignored", "no_face", "interrupted", "camera_unavailable"};

// "blacklisted, known, …": for messages that list them.
inline std::string event_kinds_text() {
  std::string text;
  for (const auto kind : kEventKinds) text.append(text.empty() ? "" : ", ").append(kind);
  return text;
}

inline bool is_event_kind(std::string_view kind) {
  return std::find(kEventKinds.begin(), kEventKinds.end(), kind) != kEventKinds.end();
}

}  // namespace doorbell
