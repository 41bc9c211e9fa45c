#pragma once
// Times as the records, the API and the notifications write them: ISO 8601 UTC with milliseconds
// ("2026-12-06T04:20:00.000Z"). Pure functions.

#include <chrono>
#include <optional>
#include <string>

namespace doorbell::model {

std::string iso_time(std::chrono::system_clock::time_point t);
// The inverse of iso_time; nullopt when `text` is not such a time.
std::optional<std::chrono::system_clock::time_point> parse_iso_time(const std::string& text);
// iso_time of `ago` (days, hours… fractions allowed) before `now`: where retention rules cut.
std::string iso_time_before(std::chrono::system_clock::time_point now, std::chrono::duration<double> ago);
// Seconds from the iso_time `text` to `now`; 0 when `text` is not one.
double seconds_between(const std::string& text, std::chrono::system_clock::time_point now);

}  // namespace doorbell::model
