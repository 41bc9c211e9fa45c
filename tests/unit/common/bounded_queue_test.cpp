#include "doorbell/common/bounded_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace doorbell {
namespace {

using namespace std::chrono_literals;

TEST(BoundedQueue, RejectNewestRefusesWhenFullAndLeavesTheItemWithTheCaller) {
  BoundedQueue<std::unique_ptr<int>> q(2, OverflowPolicy::reject_newest);
  EXPECT_EQ(q.push(std::make_unique<int>(1)), PushResult::pushed);
  EXPECT_EQ(q.push(std::make_unique<int>(2)), PushResult::pushed);
  auto third = std::make_unique<int>(3);
  EXPECT_EQ(q.push(std::move(third)), PushResult::rejected);
  ASSERT_NE(third, nullptr);  // not moved from
  EXPECT_EQ(*third, 3);

  const auto stats = q.stats();
  EXPECT_EQ(stats.depth, 2u);
  EXPECT_EQ(stats.capacity, 2u);
  EXPECT_EQ(stats.pushed, 2u);
  EXPECT_EQ(stats.dropped, 1u);
  EXPECT_EQ(*q.try_pop().value(), 1);
  EXPECT_EQ(*q.try_pop().value(), 2);
  EXPECT_FALSE(q.try_pop().has_value());
  EXPECT_EQ(q.stats().depth, 0u);
}

TEST(BoundedQueue, DropOldestKeepsTheNewestItems) {
  BoundedQueue<int> q(3, OverflowPolicy::drop_oldest);
  for (int i = 1; i <= 3; ++i) EXPECT_EQ(q.push(int{i}), PushResult::pushed);
  EXPECT_EQ(q.push(4), PushResult::pushed_dropping_oldest);
  EXPECT_EQ(q.push(5), PushResult::pushed_dropping_oldest);
  EXPECT_EQ(q.stats().depth, 3u);
  EXPECT_EQ(q.stats().dropped, 2u);
  EXPECT_EQ(q.stats().pushed, 5u);
  EXPECT_EQ(q.try_pop(), 3);
  EXPECT_EQ(q.try_pop(), 4);
  EXPECT_EQ(q.try_pop(), 5);
  EXPECT_EQ(q.try_pop(), std::nullopt);
}

TEST(BoundedQueue, PopForWaitsForAnItemOrTimesOut) {
  BoundedQueue<int> q(4, OverflowPolicy::reject_newest);
  EXPECT_EQ(q.pop_for(10ms), std::nullopt);
  std::jthread producer([&] {
    std::this_thread::sleep_for(20ms);
    q.push(42);
  });
  EXPECT_EQ(q.pop_for(5s), 42);
}

TEST(BoundedQueue, NamesItsPolicies) {
  EXPECT_STREQ(to_string(OverflowPolicy::reject_newest), "reject_newest");
  EXPECT_STREQ(to_string(OverflowPolicy::drop_oldest), "drop_oldest");
}

// Several producers and consumers: every accepted item is delivered exactly once, every refused one is
// counted, and the depth never exceeds the capacity. Run under the tsan preset as well.
void stress(OverflowPolicy policy) {
  constexpr int kProducers = 4, kConsumers = 3, kPerProducer = 20000;
  constexpr std::size_t kCapacity = 64;
  BoundedQueue<int> q(kCapacity, policy);
  std::vector<std::atomic<int>> seen(kProducers * kPerProducer);
  std::atomic<std::uint64_t> refused{0};
  std::atomic<std::size_t> max_depth{0};
  std::atomic<int> producers_done{0};
  {
    std::vector<std::jthread> threads;
    for (int p = 0; p < kProducers; ++p) {
      threads.emplace_back([&, p] {
        for (int i = 0; i < kPerProducer; ++i) {
          if (q.push(p * kPerProducer + i) == PushResult::rejected) refused.fetch_add(1);
          const auto depth = q.stats().depth;
          auto prev = max_depth.load();
          while (depth > prev && !max_depth.compare_exchange_weak(prev, depth)) {
          }
        }
        producers_done.fetch_add(1);
      });
    }
    for (int c = 0; c < kConsumers; ++c) {
      threads.emplace_back([&] {
        for (;;) {
          if (auto item = q.pop_for(1ms)) {
            seen[static_cast<std::size_t>(*item)].fetch_add(1);
          } else if (producers_done.load() == kProducers) {
            while (auto rest = q.try_pop()) seen[static_cast<std::size_t>(*rest)].fetch_add(1);
            return;
          }
        }
      });
    }
  }
  std::uint64_t delivered = 0;
  for (auto& s : seen) {
    ASSERT_LE(s.load(), 1) << "an item was delivered twice";
    delivered += static_cast<std::uint64_t>(s.load());
  }
  const auto stats = q.stats();
  EXPECT_EQ(stats.depth, 0u);
  EXPECT_LE(max_depth.load(), kCapacity);
  EXPECT_EQ(delivered + stats.dropped, static_cast<std::uint64_t>(kProducers * kPerProducer));
  if (policy == OverflowPolicy::reject_newest) {
    EXPECT_EQ(stats.dropped, refused.load());
    EXPECT_EQ(stats.pushed, delivered);
  } else {
    EXPECT_EQ(refused.load(), 0u);
    EXPECT_EQ(stats.pushed, static_cast<std::uint64_t>(kProducers * kPerProducer));
  }
}

TEST(BoundedQueueConcurrency, RejectNewestDeliversEveryAcceptedItemOnce) {
  stress(OverflowPolicy::reject_newest);
}
TEST(BoundedQueueConcurrency, DropOldestAccountsForEveryItem) {
  stress(OverflowPolicy::drop_oldest);
}

}  // namespace
}  // namespace doorbell
