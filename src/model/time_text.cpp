#include "doorbell/model/time_text.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cstdio>
#include <ctime>

namespace doorbell::model {

std::string iso_time(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(t)),
                     ms);
}

std::string iso_time_before(std::chrono::system_clock::time_point now, std::chrono::duration<double> ago) {
  return iso_time(now - std::chrono::duration_cast<std::chrono::system_clock::duration>(ago));
}

std::optional<std::chrono::system_clock::time_point> parse_iso_time(const std::string& text) {
  std::tm tm{};
  int ms = 0;
  char zone = 0;
  const int n = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &tm.tm_year, &tm.tm_mon,
                            &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms, &zone);
  if (n != 8 || zone != 'Z') return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::time_t seconds = timegm(&tm);
  if (seconds == -1) return std::nullopt;
  return std::chrono::system_clock::from_time_t(seconds) + std::chrono::milliseconds(ms);
}

double seconds_between(const std::string& text, std::chrono::system_clock::time_point now) {
  const auto then = parse_iso_time(text);
  return then ? std::chrono::duration<double>(now - *then).count() : 0.0;
}

}  // namespace doorbell::model
