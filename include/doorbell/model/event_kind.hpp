#pragma once
// The kind of an event, worst first — what notification rules filter, the events API lists and the
// metrics count — and the one rule that gives a decided ring its kind. Pure functions.

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "doorbell/model/face_outcome.hpp"

namespace doorbell::model {

// `ignored`: every face was a visitor the household ignores (the postman). `interrupted`: a ring the daemon
// accepted but did not live to decide (a crash, a power cut, a shutdown with rings still queued), recorded
// at the next start. `camera_unavailable`: a ring while the camera gave no fresh frame, so nobody was seen.
enum class EventKind { blacklisted, known, unknown, ignored, no_face, interrupted, camera_unavailable };

inline constexpr std::array<EventKind, 7> kEventKinds{
    EventKind::blacklisted, EventKind::known,       EventKind::unknown,           EventKind::ignored,
    EventKind::no_face,     EventKind::interrupted, EventKind::camera_unavailable};

const char* to_string(EventKind kind) noexcept;
std::optional<EventKind> parse_event_kind(std::string_view text) noexcept;  // the inverse of to_string
std::string event_kinds_text();  // "blacklisted, known, …": for messages that list them

// The kind of a ring whose frames were looked at: the blacklist first, then a known person, then nobody
// seen (no_face), then strangers — `ignored` when every one of them is an ignored visitor.
EventKind kind_of(std::span<const FaceOutcome> faces) noexcept;

}  // namespace doorbell::model
