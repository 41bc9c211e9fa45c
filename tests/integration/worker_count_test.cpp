// The default number of recognition workers follows the CPUs the daemon may really use: its affinity
// mask (taskset) and its cgroup's CPU quota (a real cgroup, made by the test; skipped without the rights).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "doorbell/common/cpu_budget.hpp"
#include "support/daemon.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;

const json kDefaultWorkers = {{"pipeline", {{"workers", 0}}}};

// The recognition workers the running daemon reports in /api/ready.
int workers_of(RunningDaemon& daemon) {
  EXPECT_TRUE(daemon.wait_for_status("/api/ready", 200)) << daemon.process().output();
  const auto components = json::parse(daemon.client().Get("/api/ready")->body)["components"];
  int count = 0;
  for (const auto& [name, state] : components.items())
    count += name.starts_with("recognition_worker_") ? 1 : 0;
  return count;
}

// A cgroup of the cpu controller with a quota of one CPU, removed when the test ends. cgroup v1 (a `cpu`
// hierarchy) or v2 (cpu.max).
class OneCpuCgroup {
 public:
  OneCpuCgroup() {
    const auto name = "doorbell-test-" + std::to_string(std::random_device{}());
    for (const auto* hierarchy : {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"}) {
      const std::filesystem::path root(hierarchy);
      if (!std::filesystem::exists(root / "cpu.cfs_quota_us")) continue;
      if (make(root / name) && put("cpu.cfs_period_us", "100000") && put("cpu.cfs_quota_us", "100000"))
        return;
    }
    const std::filesystem::path v2("/sys/fs/cgroup");
    if (std::filesystem::exists(v2 / "cgroup.controllers") && make(v2 / name) &&
        put("cpu.max", "100000 100000"))
      return;
    remove();
  }
  ~OneCpuCgroup() { remove(); }
  OneCpuCgroup(const OneCpuCgroup&) = delete;
  OneCpuCgroup& operator=(const OneCpuCgroup&) = delete;

  bool made() const { return !dir_.empty(); }
  // Runs the daemon inside the cgroup: a shell moves itself in, then becomes the daemon.
  std::vector<std::string> launcher() const {
    return {"/bin/sh", "-c", "echo $$ > '" + (dir_ / "cgroup.procs").string() + "' && exec \"$0\" \"$@\""};
  }

 private:
  bool make(const std::filesystem::path& dir) {
    std::error_code error;
    if (!std::filesystem::create_directory(dir, error)) return false;
    dir_ = dir;
    return true;
  }
  bool put(const char* file, const std::string& value) const {
    std::ofstream out(dir_ / file);
    out << value << std::flush;
    return static_cast<bool>(out);
  }
  void remove() {
    if (dir_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove(dir_, ignored);  // rmdir: empty once the daemon has exited
    dir_.clear();
  }

  std::filesystem::path dir_;
};

TEST(WorkerCount, FollowsTheAffinityMask) {
  if (usable_cpus() < 2) GTEST_SKIP() << "one usable CPU: nothing to cap";
  RunningDaemon daemon(kDefaultWorkers, {}, {"taskset", "-c", "0"});
  EXPECT_EQ(workers_of(daemon), 1) << daemon.process().output();
  EXPECT_THAT(daemon.process().output(),
              ::testing::HasSubstr("recognition: 1 worker(s), one per usable CPU"));
}

TEST(WorkerCount, FollowsTheCgroupCpuQuota) {
  if (usable_cpus() < 2) GTEST_SKIP() << "one usable CPU: nothing to cap";
  OneCpuCgroup cgroup;
  if (!cgroup.made()) GTEST_SKIP() << "cannot make a cgroup with a CPU quota here (needs root and cgroupfs)";
  {
    RunningDaemon daemon(kDefaultWorkers, {}, cgroup.launcher());
    EXPECT_EQ(workers_of(daemon), 1) << daemon.process().output();
  }
  RunningDaemon unlimited(kDefaultWorkers);
  EXPECT_EQ(workers_of(unlimited), usable_cpus()) << "without the quota: one per CPU of the mask";
}

}  // namespace
}  // namespace doorbell::testing
