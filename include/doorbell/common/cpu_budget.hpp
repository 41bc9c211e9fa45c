#pragma once
// The CPUs this process may really use: its affinity mask (taskset, cpusets) capped by its cgroup's CPU
// quota rounded up (cgroup v2 cpu.max, v1 cpu.cfs_quota_us / cpu.cfs_period_us, the strictest on the
// way to the root) — a container limited to 1.5 CPUs on a 64-core host gets 2, not 64. Stateless;
// thread-safe.

#include <filesystem>
#include <optional>
#include <string_view>

namespace doorbell {

// At least 1. `cgroup_mount` and `proc_self_cgroup` are for tests.
int usable_cpus(const std::filesystem::path& cgroup_mount = "/sys/fs/cgroup",
                const std::filesystem::path& proc_self_cgroup = "/proc/self/cgroup");

// The quota in CPUs from the text of a cgroup v2 cpu.max ("150000 100000"); nullopt for "max" or
// anything else.
std::optional<double> quota_from_cpu_max(std::string_view text);
// The same from cgroup v1's cpu.cfs_quota_us and cpu.cfs_period_us ("-1": no quota).
std::optional<double> quota_from_cfs(std::string_view quota_us, std::string_view period_us);

}  // namespace doorbell
