// The CPUs a process may use: quotas read from cgroup v1 and v2 files, the strictest on the way up.
#include "doorbell/common/cpu_budget.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace doorbell {
namespace {

TEST(CpuBudget, QuotasAreReadFromEitherCgroupVersion) {
  EXPECT_DOUBLE_EQ(*quota_from_cpu_max("150000 100000\n"), 1.5);
  EXPECT_FALSE(quota_from_cpu_max("max 100000\n"));
  EXPECT_FALSE(quota_from_cpu_max(""));
  EXPECT_DOUBLE_EQ(*quota_from_cfs("50000\n", "100000\n"), 0.5);
  EXPECT_FALSE(quota_from_cfs("-1\n", "100000\n"));
  EXPECT_FALSE(quota_from_cfs("garbage", "100000"));
}

TEST(CpuBudget, TheStrictestQuotaOnTheWayToTheRootCapsTheAffinityMask) {
  const int affinity = usable_cpus("/nonexistent", "/nonexistent");
  ASSERT_GE(affinity, 1);
  testing::TempDir v2;
  v2.write("cgroup.controllers", "cpu memory");
  v2.write("proc-self-cgroup", "0::/kubepods/pod1/container\n");
  std::filesystem::create_directories(v2.path() / "kubepods/pod1/container");
  v2.write("kubepods/pod1/cpu.max", "100000 100000\n");  // the pod: 1 CPU
  v2.write("kubepods/pod1/container/cpu.max", "max 100000\n");
  EXPECT_EQ(usable_cpus(v2.path(), v2.path() / "proc-self-cgroup"), 1);
  v2.write("kubepods/pod1/cpu.max", "50000 100000\n");  // half a CPU still gets one worker
  EXPECT_EQ(usable_cpus(v2.path(), v2.path() / "proc-self-cgroup"), 1);
  v2.write("kubepods/pod1/cpu.max", "6400000 100000\n");  // 64 CPUs: the mask is stricter
  EXPECT_EQ(usable_cpus(v2.path(), v2.path() / "proc-self-cgroup"), affinity);

  testing::TempDir v1;
  v1.write("proc-self-cgroup", "6:cpuset:/\n5:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n");
  std::filesystem::create_directories(v1.path() / "cpu,cpuacct/docker/abc");
  v1.write("cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "100000\n");
  v1.write("cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n");
  v1.write("cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
  v1.write("cpu,cpuacct/cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(usable_cpus(v1.path(), v1.path() / "proc-self-cgroup"), 1);
  EXPECT_EQ(usable_cpus(v1.path(), "/nonexistent"), affinity) << "no cgroup file: the mask alone";
}

}  // namespace
}  // namespace doorbell
