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
