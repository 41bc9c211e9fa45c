#include "doorbell/model/event_kind.hpp"

#include <gtest/gtest.h>

#include "doorbell/model/time_text.hpp"

namespace doorbell::model {
namespace {

TEST(EventKind, EveryKindReadsBackFromItsName) {
  for (const auto kind : kEventKinds) EXPECT_EQ(parse_event_kind(to_string(kind)), kind);
  EXPECT_FALSE(parse_event_kind("Known"));
  EXPECT_FALSE(parse_event_kind(""));
  EXPECT_EQ(event_kinds_text(),
            "blacklisted, known, unknown, ignored, no_face, interrupted, camera_unavailable");
}

TEST(EventKind, TheBlacklistFirstThenFamilyThenNobodyThenStrangers) {
  const FaceOutcome known{.verdict = Verdict::known, .name = "Ann"};
  const FaceOutcome blacklisted{.verdict = Verdict::blacklisted, .name = "Eve"};
  const FaceOutcome stranger{};
  const FaceOutcome postman{.visitor = Sighting{4, 9, true}};
  const FaceOutcome newcomer{.visitor = Sighting{5, 1, false}};
  EXPECT_EQ(kind_of(std::vector{known, blacklisted}), EventKind::blacklisted);
  EXPECT_EQ(kind_of(std::vector{stranger, known}), EventKind::known);
  EXPECT_EQ(kind_of({}), EventKind::no_face);
  EXPECT_EQ(kind_of(std::vector{postman}), EventKind::ignored);
  EXPECT_EQ(kind_of(std::vector{postman, postman}), EventKind::ignored);
  EXPECT_EQ(kind_of(std::vector{postman, newcomer}), EventKind::unknown);
  EXPECT_EQ(kind_of(std::vector{postman, stranger}), EventKind::unknown) << "a stranger without a cluster";
  EXPECT_EQ(kind_of(std::vector{postman, known}), EventKind::known);
}

TEST(Verdict, EveryVerdictReadsBackFromItsName) {
  for (const auto v : {Verdict::known, Verdict::blacklisted, Verdict::unknown})
    EXPECT_EQ(parse_verdict(to_string(v)), v);
  EXPECT_FALSE(parse_verdict("rejected"));
}

TEST(TimeText, ReadsBackToTheMillisecondAndCountsFromAGivenNow) {
  const auto t = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'796'000'000'123));
  const auto text = iso_time(t);
  EXPECT_EQ(text, "2026-11-30T00:53:20.123Z");
  EXPECT_EQ(parse_iso_time(text), t);
  EXPECT_FALSE(parse_iso_time("2026-11-28 00:53:20"));
  EXPECT_EQ(iso_time_before(t, std::chrono::duration<double, std::ratio<86400>>(1.5)),
            "2026-11-28T12:53:20.123Z");
  EXPECT_DOUBLE_EQ(seconds_between("2026-11-30T00:53:10.123Z", t), 10.0);
  EXPECT_DOUBLE_EQ(seconds_between("not a time", t), 0.0);
}

}  // namespace
}  // namespace doorbell::model
