#include "doorbell/api/params.hpp"

#include <fmt/format.h>

#include <charconv>
#include <ctime>

#include "doorbell/model/time_text.hpp"

namespace doorbell::api {
namespace {

// `digits` decimal digits at `at`, advancing it; empty when they are not there.
std::optional<int> take_digits(std::string_view text, std::size_t& at, std::size_t digits) {
  if (at + digits > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const char c = text[at + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  at += digits;
  return value;
}

constexpr int kMinYear = 1970;
constexpr int kMaxYear = 2200;

bool take(std::string_view text, std::size_t& at, char c) {
  if (at >= text.size() || text[at] != c) return false;
  ++at;
  return true;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  std::size_t at = 0;
  const auto year = take_digits(text, at, 4);
  if (!year || !take(text, at, '-')) return std::nullopt;
  const auto month = take_digits(text, at, 2);
  if (!month || !take(text, at, '-')) return std::nullopt;
  const auto day = take_digits(text, at, 2);
  if (!day || *month < 1 || *month > 12 || *day < 1 || *day > 31) return std::nullopt;
  // Within what a system_clock time point (nanoseconds in 64 bits) can hold: 1678 to 2262.
  if (*year < kMinYear || *year > kMaxYear) return std::nullopt;
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  std::chrono::milliseconds fraction{0};
  int offset_minutes = 0;
  if (at < text.size()) {
    if (!take(text, at, 'T') && !take(text, at, ' ')) return std::nullopt;
    const auto hour = take_digits(text, at, 2);
    if (!hour || !take(text, at, ':')) return std::nullopt;
    const auto minute = take_digits(text, at, 2);
    if (!minute || *hour > 23 || *minute > 59) return std::nullopt;
    tm.tm_hour = *hour;
    tm.tm_min = *minute;
    if (take(text, at, ':')) {
      const auto second = take_digits(text, at, 2);
      if (!second || *second > 60) return std::nullopt;
      tm.tm_sec = *second;
      if (take(text, at, '.')) {
        int scale = 100;
        const auto start = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
          fraction += std::chrono::milliseconds((text[at] - '0') * scale);
          scale /= 10;
          ++at;
        }
        if (at == start || at - start > 9) return std::nullopt;
      }
    }
    if (take(text, at, 'Z')) {
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
      const int sign = text[at++] == '+' ? 1 : -1;
      const auto oh = take_digits(text, at, 2);
      take(text, at, ':');
      const auto om = take_digits(text, at, 2);
      if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
      offset_minutes = sign * (*oh * 60 + *om);
    }
  }
  if (at != text.size()) return std::nullopt;
  const std::time_t seconds = timegm(&tm);
  if (seconds == -1 || tm.tm_mday != *day) return std::nullopt;  // 31 February normalised away
  return std::chrono::system_clock::from_time_t(seconds) + fraction - std::chrono::minutes(offset_minutes);
}

std::int64_t path_id(const Request& req, std::size_t group) {
  const auto text = req.matches[group].str();
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id < 1) {
    throw BadRequest(fmt::format("the id must be a whole number from 1 to 9223372036854775807, got {}",
                                 text.size() > 30 ? text.substr(0, 30) + "..." : text));
  }
  return id;
}

std::optional<std::int64_t> integer_param(const Params& params, const char* name) {
  const auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  std::int64_t value = 0;
  const auto& text = it->second;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw BadRequest(fmt::format("{} must be a whole number, got \"{}\"", name,
                                 text.size() > 30 ? text.substr(0, 30) + "..." : text));
  }
  return value;
}

std::optional<std::string> time_param(const Params& params, const char* name) {
  const auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  const auto time = parse_iso8601(it->second);
  if (!time) {
    throw BadRequest(
        fmt::format("{} must be an ISO 8601 date or time, such as 2026-11-03 or 2026-11-03T18:30:00Z", name));
  }
  return model::iso_time(*time);
}

std::optional<std::string> text_param(const Params& params, const char* name) {
  const auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  return it->second;
}

}  // namespace doorbell::api
