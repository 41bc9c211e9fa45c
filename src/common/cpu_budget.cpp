#include "doorbell/common/cpu_budget.hpp"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace doorbell {
namespace {

std::optional<double> number(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int affinity_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

// The strictest quota from `dir` up to `root`, read by `quota_in` from each cgroup folder.
template <class Read>
std::optional<double> strictest(std::filesystem::path dir, const std::filesystem::path& root, Read quota_in) {
  std::optional<double> best;
  while (true) {
    if (const auto quota = quota_in(dir); quota && (!best || *quota < *best)) best = quota;
    if (dir == root || !dir.has_relative_path() || dir.parent_path() == dir) return best;
    dir = dir.parent_path();
  }
}

// Whether a v1 hierarchy's comma-separated controllers ("cpu,cpuacct") include cpu itself.
bool has_cpu_controller(const std::string& controllers) {
  std::istringstream list(controllers);
  for (std::string one; std::getline(list, one, ',');) {
    if (one == "cpu") return true;
  }
  return false;
}

// The quota of this process's cgroup in CPUs, v2 or v1; nullopt when there is none.
std::optional<double> cgroup_quota(const std::filesystem::path& mount, const std::filesystem::path& proc) {
  std::istringstream lines(read_file(proc));
  for (std::string line; std::getline(lines, line);) {  // "0::/path" (v2) or "4:cpu,cpuacct:/path" (v1)
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const auto controllers = line.substr(first + 1, second - first - 1);
    const auto path = std::filesystem::path(line.substr(second + 1)).relative_path();
    if (controllers.empty() && std::filesystem::exists(mount / "cgroup.controllers")) {
      return strictest(mount / path, mount, [](const std::filesystem::path& dir) {
        return quota_from_cpu_max(read_file(dir / "cpu.max"));
      });
    }
    if (!has_cpu_controller(controllers)) continue;
    for (const auto& name : {controllers, std::string("cpu")}) {  // mounted as "cpu,cpuacct" or "cpu"
      const auto root = mount / name;
      if (!std::filesystem::exists(root / "cpu.cfs_quota_us")) continue;
      return strictest(root / path, root, [](const std::filesystem::path& dir) {
        return quota_from_cfs(read_file(dir / "cpu.cfs_quota_us"), read_file(dir / "cpu.cfs_period_us"));
      });
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> quota_from_cpu_max(std::string_view text) {
  const auto space = text.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto quota = number(text.substr(0, space));
  const auto period = number(text.substr(space + 1));
  if (!quota || !period || *quota <= 0 || *period <= 0) return std::nullopt;
  return *quota / *period;
}

std::optional<double> quota_from_cfs(std::string_view quota_us, std::string_view period_us) {
  const auto quota = number(quota_us);
  const auto period = number(period_us);
  if (!quota || !period || *quota <= 0 || *period <= 0) return std::nullopt;
  return *quota / *period;
}

int usable_cpus(const std::filesystem::path& cgroup_mount, const std::filesystem::path& proc_self_cgroup) {
  int cpus = affinity_cpus();
  if (const auto quota = cgroup_quota(cgroup_mount, proc_self_cgroup))
    cpus = std::min(cpus, std::max(1, static_cast<int>(std::ceil(*quota))));
  return cpus;
}

}  // namespace doorbell
