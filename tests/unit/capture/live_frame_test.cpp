#include "doorbell/capture/live_frame.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/frames.hpp"

namespace doorbell::capture {
namespace {

using testing::numbered_frame;

TEST(LiveFrame, HoldsTheNewestFrameOnly) {
  LiveFrame live;
  EXPECT_EQ(live.latest(), nullptr);
  auto first = numbered_frame(1);
  const std::weak_ptr<const Frame> watch = first;
  live.push(std::move(first));
  live.push(numbered_frame(2));
  EXPECT_EQ(live.latest()->sequence, 2u);
  EXPECT_TRUE(watch.expired()) << "the older frame is let go, not kept as pre-roll";
}

TEST(LiveFrame, AFrameIsFreshWithinItsWindowOnly) {
  const std::chrono::steady_clock::time_point start;
  const LiveFrame live(std::chrono::seconds(2));
  const auto f = numbered_frame(1, start);
  EXPECT_TRUE(live.fresh(*f, start + std::chrono::seconds(2)));
  EXPECT_FALSE(live.fresh(*f, start + std::chrono::milliseconds(2001))) << "from before an outage";
  EXPECT_TRUE(LiveFrame().fresh(*f, start + std::chrono::hours(1))) << "no window: always";
}

TEST(LiveFrame, ReadersSeeNewerFramesWhileTheWriterRuns) {
  LiveFrame live;
  std::atomic<bool> done{false};
  std::jthread writer([&] {
    for (std::uint64_t i = 1; i <= 20000; ++i) live.push(numbered_frame(i));
    done = true;
  });
  std::uint64_t seen = 0;
  while (!done) {
    if (const auto f = live.latest()) {
      ASSERT_GE(f->sequence, seen);
      seen = f->sequence;
    }
  }
  EXPECT_EQ(live.latest()->sequence, 20000u);
}

}  // namespace
}  // namespace doorbell::capture
