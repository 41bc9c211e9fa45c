#pragma once
// Parsing of the notification settings that are more than one value: event-kind lists and quiet hours.
// Used by configuration checks and by the notification policy. Stateless; thread-safe.

#include <optional>
#include <set>
#include <string>
#include <utility>

namespace doorbell {

// "blacklisted,known" → {"blacklisted", "known"}; empty when an item is not an event kind or none is given.
std::optional<std::set<std::string>> parse_kinds(const std::string& text);

// "22:00-07:00" → minutes after midnight of the start and the end (the end may be before the start:
// the quiet time then spans midnight). Empty when malformed or when start equals end.
std::optional<std::pair<int, int>> parse_quiet_hours(const std::string& text);

}  // namespace doorbell
