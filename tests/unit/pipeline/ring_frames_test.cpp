#include "doorbell/pipeline/ring_frames.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace doorbell::pipeline {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// An assessed frame without a real assessment: the selection reads the capture time and the score.
AssessedFrame assessed(std::uint64_t sequence, Clock::time_point captured, double score) {
  auto f = std::make_shared<capture::Frame>();
  f->sequence = sequence;
  f->captured = captured;
  return {f, nullptr, score};
}

std::vector<std::uint64_t> sequences(const RingFrames& r) {
  std::vector<std::uint64_t> out;
  for (const auto& a : r.frames) out.push_back(a->frame->sequence);
  return out;
}

RingFrameRules rules(Clock::duration wait) {
  return {3, 2, wait, std::chrono::seconds(2)};
}

TEST(RingFrames, AUsableFaceInThePreRollDecidesWithoutWaiting) {
  const auto ring = Clock::now();
  AssessedFrames frames(8);
  frames.push(assessed(1, ring - milliseconds(300), 0));
  frames.push(assessed(2, ring - milliseconds(200), 120));
  frames.push(assessed(3, ring - milliseconds(100), 0));
  const auto start = Clock::now();
  const auto chosen = frames_for_ring(frames, ring, rules(std::chrono::seconds(10)), {});
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5)) << "nothing waited for";
  EXPECT_FALSE(chosen.waited);
  EXPECT_EQ(chosen.after_ring, 0u);
  EXPECT_EQ(sequences(chosen), (std::vector<std::uint64_t>{1, 2, 3}));
}

TEST(RingFrames, WithoutAUsableFaceTheRingWaitsForOneAfterItWhileTheAssessorHurries) {
  const auto ring = Clock::now();
  AssessedFrames frames(8);
  frames.push(assessed(1, ring - milliseconds(100), 0));
  std::jthread assessor([&] {
    while (!frames.hurried()) std::this_thread::sleep_for(milliseconds(1));
    EXPECT_TRUE(frames.rest({}, Clock::now() + std::chrono::hours(1))) << "no rest while a ring waits";
    frames.push(assessed(2, ring + milliseconds(100), 0));  // still nobody usable
    frames.push(assessed(3, ring + milliseconds(200), 90));
  });
  const auto start = Clock::now();
  const auto chosen =
      frames_for_ring(frames, ring, {3, 5, std::chrono::seconds(10), std::chrono::seconds(2)}, {});
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5)) << "decided once a usable face came";
  EXPECT_TRUE(chosen.waited);
  EXPECT_EQ(chosen.after_ring, 2u);
  EXPECT_EQ(sequences(chosen), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_FALSE(frames.hurried()) << "nobody waits any more";
}

TEST(RingFrames, TheWaitEndsWithFramesAfterRingOrAtTheDeadline) {
  const auto ring = Clock::now();
  AssessedFrames frames(8);
  frames.push(assessed(1, ring - milliseconds(100), 0));
  frames.push(assessed(2, ring + milliseconds(50), 0));
  frames.push(assessed(3, ring + milliseconds(100), 0));
  auto chosen = frames_for_ring(frames, ring, rules(std::chrono::seconds(10)), {});
  EXPECT_TRUE(chosen.waited);
  EXPECT_EQ(sequences(chosen), (std::vector<std::uint64_t>{1, 2, 3})) << "frames_after_ring (2) were in";

  AssessedFrames empty(8);
  const auto start = Clock::now();
  chosen = frames_for_ring(empty, Clock::now(), rules(milliseconds(50)), {});
  EXPECT_GE(Clock::now() - start, milliseconds(50));
  EXPECT_TRUE(chosen.frames.empty()) << "nothing came: nothing to decide on";
}

// A ring dequeued late, after newer frames (even ones with faces) were assessed: its frames are still
// those from before it.
TEST(RingFrames, ALateRingStillUsesItsPreRoll) {
  const auto ring = Clock::now() - milliseconds(400);
  AssessedFrames frames(8);
  frames.push(assessed(1, ring - milliseconds(300), 0));
  frames.push(assessed(2, ring - milliseconds(100), 70));
  frames.push(assessed(3, ring + milliseconds(100), 200));
  frames.push(assessed(4, ring + milliseconds(300), 200));
  const auto chosen = frames_for_ring(frames, ring, rules(std::chrono::seconds(10)), {});
  EXPECT_FALSE(chosen.waited);
  EXPECT_EQ(sequences(chosen), (std::vector<std::uint64_t>{1, 2}));
}

TEST(RingFrames, OnlyTheNewestFreshFramesAreThePreRoll) {
  const auto ring = Clock::now();
  AssessedFrames frames(8);
  frames.push(assessed(1, ring - std::chrono::seconds(5), 300));  // before a camera outage
  frames.push(assessed(2, ring - milliseconds(400), 0));
  frames.push(assessed(3, ring - milliseconds(300), 0));
  frames.push(assessed(4, ring - milliseconds(200), 0));
  frames.push(assessed(5, ring - milliseconds(100), 40));
  const auto chosen = frames_for_ring(frames, ring, rules(std::chrono::seconds(10)), {});
  EXPECT_EQ(sequences(chosen), (std::vector<std::uint64_t>{3, 4, 5})) << "preroll_frames: 3";
  const auto stale = frames_for_ring(frames, ring, {8, 0, milliseconds(0), std::chrono::seconds(2)}, {});
  EXPECT_EQ(sequences(stale), (std::vector<std::uint64_t>{2, 3, 4, 5})) << "never the stale frame";
}

TEST(RingFrames, AStopEndsTheWait) {
  AssessedFrames frames(8);
  std::stop_source stop;
  std::jthread stopper([&] {
    while (!frames.hurried()) std::this_thread::sleep_for(milliseconds(1));
    stop.request_stop();
  });
  const auto start = Clock::now();
  const auto chosen = frames_for_ring(frames, Clock::now(), rules(std::chrono::hours(1)), stop.get_token());
  EXPECT_LT(Clock::now() - start, std::chrono::minutes(1));
  EXPECT_TRUE(chosen.frames.empty());
}

TEST(AssessedFrames, TheAssessorRestsUntilItsTimeUnlessARingWaits) {
  AssessedFrames frames(2);
  EXPECT_EQ(frames.latest(), nullptr);
  const auto start = Clock::now();
  EXPECT_TRUE(frames.rest({}, start + milliseconds(30)));
  EXPECT_GE(Clock::now() - start, milliseconds(30));
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(frames.rest(stop.get_token(), Clock::now() + std::chrono::hours(1)));
  for (std::uint64_t i = 1; i <= 3; ++i) frames.push(assessed(i, Clock::now(), 0));
  EXPECT_EQ(frames.latest()->frame->sequence, 3u);
  EXPECT_EQ(frames.captured_between({}, Clock::now(), 10).size(), 2u) << "no more than it holds";
}

}  // namespace
}  // namespace doorbell::pipeline
