#include "doorbell/model/event_kind.hpp"

#include <algorithm>

namespace doorbell::model {

const char* to_string(EventKind kind) noexcept {
  switch (kind) {
    case EventKind::blacklisted:
      return "blacklisted";
    case EventKind::known:
      return "known";
    case EventKind::unknown:
      return "unknown";
    case EventKind::ignored:
      return "ignored";
    case EventKind::no_face:
      return "no_face";
    case EventKind::interrupted:
      return "interrupted";
    case EventKind::camera_unavailable:
      return "camera_unavailable";
  }
  return "unknown";
}

std::optional<EventKind> parse_event_kind(std::string_view text) noexcept {
  for (const auto kind : kEventKinds) {
    if (text == to_string(kind)) return kind;
  }
  return std::nullopt;
}

std::string event_kinds_text() {
  std::string text;
  for (const auto kind : kEventKinds) text.append(text.empty() ? "" : ", ").append(to_string(kind));
  return text;
}

EventKind kind_of(std::span<const FaceOutcome> faces) noexcept {
  const auto any = [&](Verdict v) {
    return std::any_of(faces.begin(), faces.end(), [v](const auto& f) { return f.verdict == v; });
  };
  if (any(Verdict::blacklisted)) return EventKind::blacklisted;
  if (any(Verdict::known)) return EventKind::known;
  if (faces.empty()) return EventKind::no_face;
  const bool all_ignored =
      std::all_of(faces.begin(), faces.end(), [](const auto& f) { return f.visitor && f.visitor->ignored; });
  return all_ignored ? EventKind::ignored : EventKind::unknown;
}

}  // namespace doorbell::model
