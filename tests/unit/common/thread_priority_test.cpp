#include "doorbell/common/thread_priority.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <thread>

namespace doorbell {
namespace {

using namespace std::chrono_literals;

// What the kernel reports for the calling thread (struct sched_attr, first version).
struct SchedAttr {
  std::uint32_t size = sizeof(SchedAttr), policy = 0;
  std::uint64_t flags = 0;
  std::int32_t nice = 0;
  std::uint32_t priority = 0;
  std::uint64_t runtime = 0, deadline = 0, period = 0;
};

SchedAttr current_attr() {
  SchedAttr attr;
  EXPECT_EQ(syscall(SYS_sched_getattr, 0, &attr, sizeof attr, 0U), 0);
  return attr;
}

int current_nice() {
  return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
}

// A fresh thread, so the test process keeps its own scheduling.
template <typename Body>
void on_a_thread(Body body) {
  std::thread(body).join();
}

TEST(ThreadPriority, AShortSliceKeepsTheNiceValueAndThePolicy) {
  on_a_thread([] {
    ASSERT_TRUE(lower_thread_priority(3));
    const int nice = current_nice();
    ASSERT_TRUE(request_short_slice(200us));
    EXPECT_EQ(current_nice(), nice) << "asking for short slices must not undo a lowered priority";
    EXPECT_EQ(current_attr().policy, 0U) << "still SCHED_OTHER";
  });
}

TEST(ThreadPriority, TheKernelHoldsTheSliceWhereItKnowsCustomSlices) {
  on_a_thread([] {
    const auto before = current_attr().runtime;
    if (before == 0) GTEST_SKIP() << "this kernel (before 6.12) has no per-thread slice to check";
    ASSERT_TRUE(request_short_slice(200us));
    EXPECT_EQ(current_attr().runtime, 200'000U);
    ASSERT_TRUE(request_short_slice(1us));
    EXPECT_EQ(current_attr().runtime, 100'000U) << "the kernel's floor is 0.1 ms";
  });
}

}  // namespace
}  // namespace doorbell
