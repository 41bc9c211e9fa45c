#include "doorbell/trigger/button_logic.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace doorbell::trigger {
namespace {

using namespace std::chrono_literals;
using time_point = ButtonLogic::time_point;

// A fake line: a list of (time, level) changes; edges are reported as given, the level is the truth.
struct FakeLine {
  std::vector<std::pair<std::chrono::milliseconds, bool>> changes;
  bool level_at(std::chrono::milliseconds t) const {
    bool level = false;
    for (const auto& [at, l] : changes)
      if (at <= t) level = l;
    return level;
  }
};

// Feeds the edges at `edges` (ms), settling whenever the quiet period ends, then polls until `until`.
std::vector<std::pair<std::chrono::milliseconds, ButtonEvent>> run(const FakeLine& line,
                                                                   const std::vector<int>& edges, int until) {
  const time_point t0{};
  ButtonLogic logic(30ms, 2s);
  std::vector<std::pair<std::chrono::milliseconds, ButtonEvent>> out;
  std::size_t next_edge = 0;
  for (int ms = 0; ms <= until; ++ms) {
    const auto now = t0 + std::chrono::milliseconds(ms);
    while (next_edge < edges.size() && edges[next_edge] == ms) {
      logic.edge(now);
      ++next_edge;
    }
    if (logic.settle_at() && now >= *logic.settle_at()) {
      if (auto e = logic.settle(now, line.level_at(std::chrono::milliseconds(ms))))
        out.emplace_back(ms * 1ms, *e);
    }
    if (auto e = logic.poll(now)) out.emplace_back(ms * 1ms, *e);
  }
  return out;
}

TEST(ButtonLogic, BouncyPressRingsOnceAfterTheQuietPeriod) {
  // Contact bounce: 5 edges within 8 ms, settling pressed; released 300 ms later with more bounce.
  const FakeLine line{
      {{100ms, true}, {102ms, false}, {104ms, true}, {106ms, false}, {108ms, true}, {400ms, false}}};
  const auto events = run(line, {100, 102, 104, 106, 108, 400, 401, 403}, 1000);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].second, ButtonEvent::press);
  EXPECT_EQ(events[0].first, 138ms) << "30 ms after the last bounce";
}

TEST(ButtonLogic, MergedEdgesOfAGlitchAreNoPress) {
  // A 5 ms spike: both edges arrive, the level is back to released when read.
  const FakeLine line{{{100ms, true}, {105ms, false}}};
  EXPECT_TRUE(run(line, {100, 105}, 500).empty());
}

TEST(ButtonLogic, MissedReleaseEdgeIsRecoveredFromTheLevel) {
  // The release edge is lost; the next press's edges arrive. The level read decides, never an edge count.
  const FakeLine line{{{100ms, true}, {300ms, false}, {600ms, true}}};
  const auto events = run(line, {100, /* 300 missed */ 600}, 1000);
  ASSERT_EQ(events.size(), 1u)
      << "the second burst settles pressed while we still think pressed: no new ring";
  // The lost release is only seen at the next settle; a later full press/release rings again.
  const FakeLine later{{{100ms, true}, {300ms, false}, {600ms, true}, {700ms, false}, {900ms, true}}};
  const auto again = run(later, {100, 600, 700, 900}, 1200);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[1].first, 930ms);
}

TEST(ButtonLogic, ReorderedEdgesStillSettleOnTheRealLevel) {
  // Two edges delivered out of order (release reported before press); the line ends pressed.
  const FakeLine line{{{100ms, true}}};
  const auto events = run(line, {100, 101}, 400);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].second, ButtonEvent::press);
}

TEST(ButtonLogic, HoldingReportsOneLongPress) {
  const FakeLine line{{{100ms, true}, {3500ms, false}}};
  const auto events = run(line, {100, 3500}, 5000);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].second, ButtonEvent::press);
  EXPECT_EQ(events[1].second, ButtonEvent::long_press);
  EXPECT_EQ(events[1].first, 2100ms) << "2 s after the press began";
}

}  // namespace
}  // namespace doorbell::trigger
