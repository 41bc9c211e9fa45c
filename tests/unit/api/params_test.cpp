#include "doorbell/api/params.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "doorbell/model/time_text.hpp"

namespace doorbell::api {
namespace {

std::string iso(std::string_view text) {
  const auto t = parse_iso8601(text);
  return t ? model::iso_time(*t) : "invalid";
}

TEST(Params, Iso8601DatesAndTimesWithZones) {
  EXPECT_EQ(iso("2026-11-03"), "2026-11-03T00:00:00.000Z");
  EXPECT_EQ(iso("2026-11-03T18:30"), "2026-11-03T18:30:00.000Z");
  EXPECT_EQ(iso("2026-11-03T18:30:15.25Z"), "2026-11-03T18:30:15.250Z");
  EXPECT_EQ(iso("2026-11-03T18:30:00+01:00"), "2026-11-03T17:30:00.000Z");
  EXPECT_EQ(iso("2026-11-03 18:30:00-0230"), "2026-11-03T21:00:00.000Z");
}

TEST(Params, MalformedAndOutOfRangeTimesAreRefused) {
  for (const char* bad :
       {"yesterday", "2026-13-01", "2026-02-31", "2026-11-03T25:00", "2026-11-03T10:00:00.Z", "2026-11-03Z",
        "4052-11-04", "1677-01-01", "2026-11-03T10:00+99:00", ""}) {
    EXPECT_EQ(iso(bad), "invalid") << bad;  // 4052: past what a time point in nanoseconds holds
  }
}

TEST(Params, PathIdsAreWholeNumbersThatFitIn63Bits) {
  Request req;
  req.path = "/api/events/9223372036854775807";
  std::regex_match(req.path, req.matches, std::regex(R"(/api/events/(\d+))"));
  EXPECT_EQ(path_id(req), 9223372036854775807);
  req.path = "/api/events/9223372036854775808";
  std::regex_match(req.path, req.matches, std::regex(R"(/api/events/(\d+))"));
  EXPECT_THROW(path_id(req), BadRequest);
  req.path = "/api/events/0";
  std::regex_match(req.path, req.matches, std::regex(R"(/api/events/(\d+))"));
  EXPECT_THROW(path_id(req), BadRequest);
}

}  // namespace
}  // namespace doorbell::api
