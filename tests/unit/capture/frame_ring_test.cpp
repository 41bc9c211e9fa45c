#include "doorbell/capture/frame_ring.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace doorbell::capture {
namespace {

FramePtr frame(std::uint64_t sequence, std::chrono::steady_clock::time_point captured = {}) {
  auto f = std::make_shared<Frame>();
  f->sequence = sequence;
  f->captured = captured;
  return f;
}

TEST(FrameRing, KeepsTheNewestFramesInOrder) {
  FrameRing ring(3);
  EXPECT_EQ(ring.latest(), nullptr);
  EXPECT_TRUE(ring.last(5).empty());
  for (std::uint64_t i = 1; i <= 5; ++i) ring.push(frame(i));
  EXPECT_EQ(ring.latest()->sequence, 5u);
  const auto last = ring.last(10);
  ASSERT_EQ(last.size(), 3u) << "no more than the capacity";
  EXPECT_EQ(last[0]->sequence, 3u);
  EXPECT_EQ(last[2]->sequence, 5u);
  EXPECT_EQ(ring.last(2).front()->sequence, 4u);
  const auto after = ring.after(3);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0]->sequence, 4u);
}

// A ring dequeued late, when newer frames have arrived: its pre-roll is still the frames before it.
TEST(FrameRing, ThePreRollOfARingIsTheNewestFramesCapturedUpToIt) {
  const std::chrono::steady_clock::time_point start;
  FrameRing ring(8);
  EXPECT_TRUE(ring.last_until(start, 3).empty());
  for (std::uint64_t i = 1; i <= 8; ++i) ring.push(frame(i, start + std::chrono::milliseconds(100 * i)));
  const auto preroll = ring.last_until(start + std::chrono::milliseconds(450), 3);  // rang after frame 4
  ASSERT_EQ(preroll.size(), 3u);
  EXPECT_EQ(preroll[0]->sequence, 2u);
  EXPECT_EQ(preroll[2]->sequence, 4u) << "not the newest frames, 5-8, taken after the ring";
  EXPECT_EQ(ring.last_until(start + std::chrono::milliseconds(150), 3).size(), 1u);
  EXPECT_TRUE(ring.last_until(start, 3).empty()) << "nothing held from before it";
}

TEST(FrameRing, AFrameIsFreshWithinItsWindowOnly) {
  const std::chrono::steady_clock::time_point start;
  const FrameRing ring(4, std::chrono::seconds(2));
  const auto f = frame(1, start);
  EXPECT_TRUE(ring.fresh(*f, start + std::chrono::seconds(2)));
  EXPECT_FALSE(ring.fresh(*f, start + std::chrono::milliseconds(2001))) << "from before an outage";
  EXPECT_TRUE(FrameRing(4).fresh(*f, start + std::chrono::hours(1))) << "no window: always";
}

TEST(FrameRing, ReadersSeeOrderedFramesWhileTheWriterRuns) {
  FrameRing ring(8);
  std::atomic<bool> done{false};
  std::jthread writer([&] {
    for (std::uint64_t i = 1; i <= 20000; ++i) ring.push(frame(i));
    done = true;
  });
  while (!done) {
    const auto frames = ring.last(8);
    for (std::size_t i = 1; i < frames.size(); ++i) ASSERT_LT(frames[i - 1]->sequence, frames[i]->sequence);
  }
  EXPECT_EQ(ring.latest()->sequence, 20000u);
}

}  // namespace
}  // namespace doorbell::capture
