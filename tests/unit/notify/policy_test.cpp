#include "doorbell/notify/policy.hpp"

#include <gtest/gtest.h>

#include "doorbell/config/notify_settings.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::notify {
namespace {

using namespace std::chrono_literals;

model::Event event(std::string kind, std::vector<std::string> names = {}) {
  model::Event e;
  e.kind = *model::parse_event_kind(kind);
  e.names = std::move(names);
  return e;
}

class PolicyTest : public ::testing::Test {
 protected:
  NotificationPolicy policy(std::string quiet_hours = {}) {
    NotifyConfig config;
    config.cooldown_seconds = Seconds(60);
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
model::Event visitors(std::string source, std::vector<std::pair<int, bool>> ids_ignored) {
  const bool all_ignored =
      std::all_of(ids_ignored.begin(), ids_ignored.end(), [](auto v) { return v.second; });
  auto e = event(all_ignored ? "ignored" : "unknown");
  e.source = std::move(source);
  for (const auto& [id, ignored] : ids_ignored)
    e.faces.push_back({.visitor = model::Sighting{id, 2, ignored}});
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

// The household's rules: a person's (by the id of the face named), strangers', the blacklist's.
class RulesTest : public PolicyTest {
 protected:
  NotificationPolicy policy() {
    NotifyConfig config;
    config.cooldown_seconds = Seconds(0);
    return NotificationPolicy(
        config,
        {{"webhook", {"blacklisted", "known", "unknown"}}, {"ntfy", {"blacklisted", "known", "unknown"}}},
        &rules);
  }
  // Dana (person 3) and/or a stranger at the door, rung or waiting.
  static model::Event at_door(bool dana, bool stranger, const std::string& source = "gpio") {
    model::Event e;
    e.source = source;
    e.kind = dana ? model::EventKind::known : model::EventKind::unknown;
    if (dana) {
      e.names.push_back("Dana");
      e.faces.push_back({.verdict = model::Verdict::known, .name = "Dana"});
      e.described.push_back({0, {}, 0, 0, {}, 3, 0});
    }
    if (stranger) e.faces.push_back({});
    return e;
  }
  // Each channel's reason to skip (empty: told).
  std::map<std::string, std::string> plan(const model::Event& e, int minute = kNoon) {
    auto p = policy();
    std::map<std::string, std::string> out;
    for (const auto& d : p.plan(e, t0, minute, "2026-12-02T12:00:00.000Z"))
      out[d.channel] = d.skipped_because;
    return out;
  }

  testing::TempDir dir;
  RuleBook rules{dir.path()};
};

TEST_F(RulesTest, APersonsChannelsAreTheOnlyOnesToldOfThem) {
  rules.put({"person-3", {"ntfy"}, "", ""});
  auto told = plan(at_door(true, false));
  EXPECT_EQ(told["ntfy"], "");
  EXPECT_EQ(told["webhook"], "rule: Dana not told on webhook");
  told = plan(at_door(true, true));
  EXPECT_EQ(told["webhook"], "") << "the stranger with her has no rule: every channel";
  rules.put({"unknown", {"ntfy"}, "", ""});
  EXPECT_EQ(plan(at_door(true, true))["webhook"], "rule: Dana, strangers not told on webhook");
}

TEST_F(RulesTest, ASnoozeHoldsBackWaitingButNeverARing) {
  rules.put({"person-3", {}, "", "2026-12-02T13:00:00.000Z"});
  EXPECT_EQ(plan(at_door(true, false, "presence"))["webhook"], "Dana snoozed until 2026-12-02T13:00:00.000Z");
  EXPECT_EQ(plan(at_door(true, false, "gpio"))["webhook"], "") << "a press is always told";
  EXPECT_EQ(plan(at_door(true, true, "presence"))["webhook"], "") << "a stranger waits with her";
  rules.put({"person-3", {}, "", "2026-12-02T11:00:00.000Z"});
  EXPECT_EQ(plan(at_door(true, false, "presence"))["webhook"], "") << "the snooze is over";
}

TEST_F(RulesTest, QuietHoursOfStrangersHoldBackStrangersWaiting) {
  rules.put({"unknown", {}, "22:00-07:00", ""});
  EXPECT_EQ(plan(at_door(false, true, "presence"), 23 * 60)["ntfy"], "quiet hours of strangers");
  EXPECT_EQ(plan(at_door(false, true, "presence"), kNoon)["ntfy"], "");
  EXPECT_EQ(plan(at_door(false, true, "gpio"), 23 * 60)["ntfy"], "");
}

TEST_F(RulesTest, TheBlacklistsChannelsApplyButNothingSilencesIt) {
  rules.put({"blacklisted", {"ntfy"}, "00:00-23:59", "2099-01-01T00:00:00.000Z"});  // as if stored by hand
  auto eve = event("blacklisted", {"Eve"});
  eve.source = "presence";
  auto told = plan(eve, kNoon);
  EXPECT_EQ(told["ntfy"], "");
  EXPECT_EQ(told["webhook"], "rule: the blacklist not told on webhook");
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
