#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <fstream>
#include <thread>

#include "doorbell/common/bounded_queue.hpp"
#include "doorbell/observability/health_collector.hpp"
#include "doorbell/observability/metrics.hpp"
#include "doorbell/observability/process_collector.hpp"
#include "doorbell/observability/queue_collector.hpp"
#include "fakes/fake_clock.hpp"

namespace doorbell {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(ProcessStats, ReadsPlausibleValuesForThisProcess) {
  const auto stats = read_process_stats();
  ASSERT_TRUE(stats.has_value());
  EXPECT_GT(stats->resident_memory_bytes, 1e5);
  EXPECT_GE(stats->virtual_memory_bytes, stats->resident_memory_bytes);
  EXPECT_GE(stats->open_fds, 3);  // stdin, stdout, stderr
  EXPECT_GE(stats->max_fds, stats->open_fds);
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_LE(stats->start_time_seconds, now + 1);
  EXPECT_GT(stats->start_time_seconds, now - 3600) << "this test binary started less than an hour ago";
  EXPECT_GE(stats->cpu_seconds, 0);
}

TEST(ProcessStats, CountsNewFileDescriptors) {
  const auto before = read_process_stats()->open_fds;
  std::ifstream a("/proc/self/stat"), b("/proc/self/status");
  EXPECT_EQ(read_process_stats()->open_fds, before + 2);
}

TEST(ProcessStats, UnreadableProcIsEmpty) {
  EXPECT_FALSE(read_process_stats("/nonexistent").has_value());
  EXPECT_TRUE(read_thread_cpu("/nonexistent").empty());
}

TEST(ProcessStats, EachNamedThreadsCpuIsItsOwn) {
  std::atomic<bool> spun{false};
  std::atomic<bool> done{false};
  std::thread busy([&] {
    pthread_setname_np(pthread_self(), "spinner");
    timespec used{};
    volatile std::uint64_t spin = 0;
    do {  // 200 ms of this thread's own CPU, however busy the machine is
      for (int i = 0; i < 100000; ++i) spin = spin + 1;
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &used);
    } while (used.tv_sec == 0 && used.tv_nsec < 200'000'000);
    spun = true;
    while (!done) std::this_thread::sleep_for(1ms);
  });
  while (!spun) std::this_thread::sleep_for(1ms);
  const auto threads = read_thread_cpu();
  done = true;
  busy.join();
  ASSERT_TRUE(threads.contains("spinner"));
  EXPECT_GE(threads.at("spinner"), 0.18) << "200 ms of its CPU, to the kernel's tick";
  EXPECT_LE(threads.at("spinner"), read_process_stats()->cpu_seconds);
}

TEST(ProcessCollector, ExportsTheStandardNames) {
  Metrics metrics;
  metrics.add_collector(std::make_unique<ProcessCollector>());
  const auto text = metrics.render();
  for (const char* name :
       {"process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
        "process_open_fds", "process_max_fds", "process_start_time_seconds"}) {
    EXPECT_THAT(text, HasSubstr(std::string("\n") + name + " ")) << name;
  }
  EXPECT_THAT(text, HasSubstr("# TYPE process_cpu_seconds_total counter"));
}

TEST(HealthCollector, ExportsReadinessFailuresAndHeartbeatAge) {
  testing::FakeClock clock;
  HealthRegistry health(clock);
  health.add("camera", 5s).set_ready();
  health.add("worker").set_failed("x");
  clock.advance(2s);
  Metrics metrics;
  metrics.add_collector(std::make_unique<HealthCollector>(health));
  const auto text = metrics.render();
  EXPECT_THAT(text, HasSubstr("doorbell_component_ready{component=\"camera\"} 1"));
  EXPECT_THAT(text, HasSubstr("doorbell_component_ready{component=\"worker\"} 0"));
  EXPECT_THAT(text, HasSubstr("doorbell_component_failures_total{component=\"worker\"} 1"));
  EXPECT_THAT(text, HasSubstr("doorbell_component_heartbeat_age_seconds{component=\"camera\"} 2"));
  EXPECT_THAT(text,
              ::testing::Not(HasSubstr("doorbell_component_heartbeat_age_seconds{component=\"worker\"}")));
}

TEST(QueueCollector, ExportsDepthCapacityPushedAndDropped) {
  BoundedQueue<int> events(2, OverflowPolicy::reject_newest);
  events.push(1);
  events.push(2);
  events.push(3);
  auto collector = std::make_unique<QueueCollector>();
  collector->add("events", events);
  Metrics metrics;
  metrics.add_collector(std::move(collector));
  const auto text = metrics.render();
  EXPECT_THAT(text, HasSubstr("doorbell_queue_depth{queue=\"events\"} 2"));
  EXPECT_THAT(text, HasSubstr("doorbell_queue_capacity{queue=\"events\"} 2"));
  EXPECT_THAT(text, HasSubstr("doorbell_queue_pushed_total{queue=\"events\"} 2"));
  EXPECT_THAT(text, HasSubstr("doorbell_queue_dropped_total{policy=\"reject_newest\",queue=\"events\"} 1"));
}

// One of several doors: its series say which door they are (in the order of label names), a series
// naming a door itself keeps it, and a household-wide collector's series (the same at every door) do not.
TEST(Metrics, ADoorsSeriesCarryItsDoor_ButNotTheHouseholdsSeries) {
  testing::FakeClock clock;
  HealthRegistry health(clock);
  health.add("camera").set_ready();
  Metrics metrics("front");
  metrics.add_collector(std::make_unique<HealthCollector>(health));
  auto household = std::make_unique<QueueCollector>();
  BoundedQueue<int> shared(2, OverflowPolicy::reject_newest);
  household->add("shared", shared);
  metrics.add_collector(std::move(household), Metrics::Scope::household);
  register_door_info(metrics.registry(), "front", "Front door");
  prometheus::BuildCounter()
      .Name("doorbell_rings_total")
      .Help("h")
      .Register(metrics.registry())
      .Add({})
      .Increment();
  prometheus::BuildCounter()
      .Name("doorbell_events_total")
      .Help("h")
      .Register(metrics.registry())
      .Add({{"kind", "known"}})
      .Increment();

  const auto text = metrics.render();
  EXPECT_THAT(text, HasSubstr("doorbell_component_ready{component=\"camera\",door=\"front\"} 1"));
  EXPECT_THAT(text, HasSubstr("doorbell_rings_total{door=\"front\"} 1"));
  EXPECT_THAT(text, HasSubstr("doorbell_events_total{door=\"front\",kind=\"known\"} 1"));
  EXPECT_THAT(text, HasSubstr("doorbell_door_info{door=\"front\",name=\"Front door\"} 1"));
  EXPECT_THAT(text, HasSubstr("doorbell_queue_depth{queue=\"shared\"} 0"));
  Metrics only_door;
  only_door.add_collector(std::make_unique<HealthCollector>(health));
  prometheus::BuildCounter()
      .Name("doorbell_rings_total")
      .Help("h")
      .Register(only_door.registry())
      .Add({})
      .Increment();
  const auto unlabelled = only_door.render();
  EXPECT_THAT(unlabelled, HasSubstr("doorbell_rings_total 1"));
  EXPECT_THAT(unlabelled, ::testing::Not(HasSubstr("door="))) << "the only door: no label";
}

TEST(Metrics, FamiliesWithoutSamplesAreLeftOut) {
  Metrics metrics;
  metrics.add_collector(std::make_unique<QueueCollector>());
  EXPECT_EQ(metrics.render(), "");
}

}  // namespace
}  // namespace doorbell
