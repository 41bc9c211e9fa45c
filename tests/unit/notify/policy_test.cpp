#include "doorbell/notify/policy.hpp"

#include <gtest/gtest.h>

#include "doorbell/config/notify_settings.hpp"

namespace doorbell::notify {
namespace {

using namespace std::chrono_literals;

storage::EventRecord event(std::string kind, std::vector<std::string> names = {}) {
  storage::EventRecord e;
  e.kind = std::move(kind);
  e.names = std::move(names);
  return e;
}

class PolicyTest : public ::testing::Test {
 protected:
  NotificationPolicy policy(std::string quiet_hours = {}) {
    NotifyConfig config;
    config.cooldown_seconds = 60;
    config.quiet_hours = std::move(quiet_hours);
    return NotificationPolicy(config, {{"webhook", {"blacklisted", "known", "unknown", "ignored", "no_face"}},
                                       {"mqtt", {"blacklisted"}}});
  }
  const std::chrono::steady_clock::time_point t0{std::chrono::hours(5)};
  static constexpr int kNoon = 12 * 60;
};

TEST_F(PolicyTest, EachChannelGetsOnlyTheKindsItAskedFor) {
  auto p = policy();
  const auto known = p.plan(event("known", {"Dana"}), t0, kNoon);
  ASSERT_EQ(known.size(), 1u);
  EXPECT_EQ(known[0].channel, "webhook");
  EXPECT_TRUE(known[0].skipped_because.empty());
  EXPECT_EQ(p.plan(event("blacklisted", {"Eve"}), t0, kNoon).size(), 2u);
}

TEST_F(PolicyTest, TheSameVisitorIsNotifiedOncePerCooldownOthersAreNot) {
  auto p = policy();
  EXPECT_TRUE(p.plan(event("known", {"Dana"}), t0, kNoon)[0].skipped_because.empty());
  const auto again = p.plan(event("known", {"Dana"}), t0 + 20s, kNoon);
  EXPECT_NE(again[0].skipped_because.find("cooldown"), std::string::npos) << again[0].skipped_because;
  EXPECT_TRUE(p.plan(event("known", {"Sam"}), t0 + 20s, kNoon)[0].skipped_because.empty()) << "someone else";
  EXPECT_TRUE(p.plan(event("unknown"), t0 + 20s, kNoon)[0].skipped_because.empty());
  EXPECT_FALSE(p.plan(event("unknown"), t0 + 30s, kNoon)[0].skipped_because.empty())
      << "unknowns share a key";
  EXPECT_TRUE(p.plan(event("known", {"Dana"}), t0 + 61s, kNoon)[0].skipped_because.empty())
      << "cooldown over";
}

TEST_F(PolicyTest, BlacklistedVisitorsAlwaysNotify) {
  auto p = policy("22:00-07:00");
  for (int i = 0; i < 3; ++i) {
    for (const auto& d : p.plan(event("blacklisted", {"Eve"}), t0 + i * 1s, 23 * 60)) {
      EXPECT_TRUE(d.skipped_because.empty()) << "at night, and again and again";
    }
  }
}

TEST_F(PolicyTest, QuietHoursSkipAllButTheBlacklist) {
  auto p = policy("22:00-07:00");
  EXPECT_EQ(p.plan(event("known", {"Dana"}), t0, 23 * 60)[0].skipped_because, "quiet hours");
  EXPECT_EQ(p.plan(event("unknown"), t0, 6 * 60 + 59)[0].skipped_because, "quiet hours");
  EXPECT_TRUE(p.plan(event("known", {"Dana"}), t0, 7 * 60)[0].skipped_because.empty()) << "quiet time over";
}

// An event of strangers in visitor clusters: `ignored` when every one of them is.
storage::EventRecord visitors(std::string source, std::vector<std::pair<int, bool>> ids_ignored) {
  const bool all_ignored =
      std::all_of(ids_ignored.begin(), ids_ignored.end(), [](auto v) { return v.second; });
  auto e = event(all_ignored ? "ignored" : "unknown");
  e.source = std::move(source);
  for (const auto& [id, ignored] : ids_ignored)
    e.faces.push_back({{"result", "unknown"}, {"visitor", {{"id", id}, {"seen", 2}, {"ignored", ignored}}}});
  return e;
}

TEST_F(PolicyTest, EachVisitorClusterHasItsOwnCooldown) {
  auto p = policy();
  EXPECT_TRUE(p.plan(visitors("gpio", {{7, false}}), t0, kNoon)[0].skipped_because.empty());
  EXPECT_TRUE(p.plan(visitors("gpio", {{9, false}}), t0 + 1s, kNoon)[0].skipped_because.empty())
      << "another stranger is news";
  EXPECT_FALSE(p.plan(visitors("gpio", {{7, false}}), t0 + 2s, kNoon)[0].skipped_because.empty());
}

TEST_F(PolicyTest, IgnoredVisitorsWaitingUnnotifiedButTheirRingsAreTold) {
  auto p = policy();
  EXPECT_EQ(p.plan(visitors("presence", {{7, true}}), t0, kNoon)[0].skipped_because, "ignored visitor");
  EXPECT_TRUE(p.plan(visitors("gpio", {{7, true}}), t0, kNoon)[0].skipped_because.empty())
      << "a ring is told";
  EXPECT_TRUE(p.plan(visitors("presence", {{8, true}, {9, false}}), t0, kNoon)[0].skipped_because.empty())
      << "someone not ignored waits with them";
}

TEST(QuietHours, WindowsWithinADayAndAcrossMidnight) {
  EXPECT_TRUE(in_quiet_hours({22 * 60, 7 * 60}, 0));
  EXPECT_TRUE(in_quiet_hours({22 * 60, 7 * 60}, 22 * 60));
  EXPECT_FALSE(in_quiet_hours({22 * 60, 7 * 60}, 7 * 60));
  EXPECT_FALSE(in_quiet_hours({22 * 60, 7 * 60}, 12 * 60));
  EXPECT_TRUE(in_quiet_hours({13 * 60, 14 * 60}, 13 * 60 + 30));
  EXPECT_FALSE(in_quiet_hours({13 * 60, 14 * 60}, 14 * 60 + 1));
}

TEST(NotifySettings, KindListsAndQuietHoursAreParsedStrictly) {
  EXPECT_EQ(parse_kinds("known, blacklisted"), (std::set<std::string>{"blacklisted", "known"}));
  EXPECT_FALSE(parse_kinds("known,friends"));
  EXPECT_FALSE(parse_kinds(""));
  EXPECT_FALSE(parse_kinds("known,,unknown"));
  EXPECT_EQ(parse_quiet_hours("22:30-06:15"), (std::pair{22 * 60 + 30, 6 * 60 + 15}));
  EXPECT_FALSE(parse_quiet_hours("22:00-22:00"));
  EXPECT_FALSE(parse_quiet_hours("25:00-06:00"));
  EXPECT_FALSE(parse_quiet_hours("22:00 - 06:00"));
  EXPECT_FALSE(parse_quiet_hours("22:00-06:00x"));
}

}  // namespace
}  // namespace doorbell::notify
