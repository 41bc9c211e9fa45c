#include "doorbell/capture/frame_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/frames.hpp"

namespace doorbell::capture {
namespace {

using testing::numbered_frame;

// The camera offers every frame; the assessor gets one captured after it asked, never a backlog.
TEST(FrameQueue, TheConsumerGetsAFrameOfferedAfterItAskedAndTheOthersArePassedOver) {
  FrameQueue queue;
  for (std::uint64_t i = 1; i <= 3; ++i) queue.offer(numbered_frame(i));  // nobody asked: none queued
  EXPECT_EQ(queue.stats().depth, 0u);
  std::atomic<std::uint64_t> offered{3};
  std::jthread camera([&](std::stop_token stop) {
    while (!stop.stop_requested()) {  // a frame every millisecond until the test has what it needs
      queue.offer(numbered_frame(++offered));
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  const auto taken = queue.take_next(std::chrono::seconds(10));
  ASSERT_NE(taken.frame, nullptr);
  EXPECT_GT(taken.frame->sequence, 3u) << "not one offered before it asked";
  camera.request_stop();
  camera.join();
  const auto next = queue.take_next(std::chrono::milliseconds(5));
  EXPECT_EQ(next.frame, nullptr) << "nothing offered since it asked again";
  EXPECT_EQ(taken.skipped + next.skipped, offered - 1) << "every other frame was passed over";
  const auto stats = queue.stats();
  EXPECT_EQ(stats.pushed, 1u);
  EXPECT_EQ(stats.dropped, 0u) << "passing over is not dropping";
}

TEST(FrameQueue, NothingOfferedIsNoFrameAfterTheTimeout) {
  FrameQueue queue;
  const auto taken = queue.take_next(std::chrono::milliseconds(5));
  EXPECT_EQ(taken.frame, nullptr);
  EXPECT_EQ(taken.skipped, 0u);
}

// The camera thread and the assessor: every frame is either taken, passed over or dropped, in order.
TEST(FrameQueue, OneProducerAndOneConsumerAccountForEveryFrame) {
  constexpr std::uint64_t kFrames = 5000;
  FrameQueue queue;
  std::atomic<bool> done{false};
  std::jthread producer([&] {
    for (std::uint64_t i = 1; i <= kFrames; ++i) queue.offer(numbered_frame(i));
    done = true;
  });
  std::uint64_t taken = 0, skipped = 0, last = 0;
  for (;;) {
    const bool finished = done;
    const auto t = queue.take_next(std::chrono::milliseconds(1));
    skipped += t.skipped;
    if (t.frame) {
      EXPECT_GT(t.frame->sequence, last);
      last = t.frame->sequence;
      ++taken;
    } else if (finished) {
      break;
    }
  }
  const auto stats = queue.stats();
  // A frame queued for a take that timed out is passed over when a newer one is queued before the next
  // take: counted as skipped, so not every frame pushed is taken.
  EXPECT_LE(taken, stats.pushed);
  EXPECT_EQ(taken + skipped + stats.dropped, kFrames);
  // On a loaded machine the producer may be done before the consumer ran once (nothing taken): a frame
  // offered after all of that is still taken.
  queue.offer(numbered_frame(kFrames + 1));
  const auto after = queue.take_next(std::chrono::milliseconds(100));
  ASSERT_NE(after.frame, nullptr);
  EXPECT_EQ(after.frame->sequence, kFrames + 1);
}

}  // namespace
}  // namespace doorbell::capture
