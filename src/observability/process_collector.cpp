#include "doorbell/observability/process_collector.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "doorbell/observability/metrics.hpp"

namespace doorbell {
namespace {

// Fields of /proc/self/stat counted from the one after the ")" that closes the command name.
constexpr std::size_t kUtime = 11, kStime = 12, kStartTime = 19, kVsize = 20, kRss = 21;

std::optional<double> boot_time_seconds(const std::filesystem::path& proc) {
  std::ifstream in(proc / "stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime" && in >> value) return value;
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return std::nullopt;
}

// The fields of a /proc stat line after the ")" that closes the command name, and that name.
std::vector<std::string> stat_fields(const std::filesystem::path& file, std::string* name = nullptr) {
  std::ifstream in(file);
  const std::string line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto open = line.find('(');
  const auto close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return {};
  if (name != nullptr) *name = line.substr(open + 1, close - open - 1);
  std::istringstream fields(line.substr(close + 1));
  return {std::istream_iterator<std::string>(fields), std::istream_iterator<std::string>()};
}

double cpu_of(const std::vector<std::string>& f) {
  return (std::stod(f[kUtime]) + std::stod(f[kStime])) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

std::map<std::string, double> read_thread_cpu(const std::filesystem::path& proc) {
  std::map<std::string, double> out;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(proc / "self" / "task", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    std::string name;
    const auto f = stat_fields(it->path() / "stat", &name);  // a thread that just ended has none
    if (f.size() > kStime) out[name] += cpu_of(f);
  }
  return out;
}

std::optional<ProcessStats> read_process_stats(const std::filesystem::path& proc) {
  const auto f = stat_fields(proc / "self" / "stat");
  const auto boot = boot_time_seconds(proc);
  if (f.size() <= kRss || !boot) return std::nullopt;

  const auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const auto page = static_cast<double>(sysconf(_SC_PAGESIZE));
  ProcessStats s;
  s.cpu_seconds = cpu_of(f);
  s.start_time_seconds = *boot + std::stod(f[kStartTime]) / ticks;
  s.virtual_memory_bytes = std::stod(f[kVsize]);
  s.resident_memory_bytes = std::stod(f[kRss]) * page;

  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(proc / "self" / "fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++s.open_fds;
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) s.max_fds = static_cast<double>(limit.rlim_cur);
  return s;
}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  const auto stats = read_process_stats();
  if (!stats) return {};
  auto cpu = counter_family("process_cpu_seconds_total", "Total user and system CPU time spent in seconds");
  add_sample(cpu, stats->cpu_seconds);
  auto rss = gauge_family("process_resident_memory_bytes", "Resident memory size in bytes");
  add_sample(rss, stats->resident_memory_bytes);
  auto vms = gauge_family("process_virtual_memory_bytes", "Virtual memory size in bytes");
  add_sample(vms, stats->virtual_memory_bytes);
  auto fds = gauge_family("process_open_fds", "Number of open file descriptors");
  add_sample(fds, stats->open_fds);
  auto max_fds = gauge_family("process_max_fds", "Maximum number of open file descriptors");
  add_sample(max_fds, stats->max_fds);
  auto start =
      gauge_family("process_start_time_seconds", "Start time of the process since unix epoch in seconds");
  add_sample(start, stats->start_time_seconds);
  auto threads = counter_family("doorbell_thread_cpu_seconds_total",
                                "CPU seconds (user and system) of the daemon's threads, by thread name");
  for (const auto& [name, seconds] : read_thread_cpu()) add_sample(threads, seconds, {{"thread", name}});
  return {std::move(cpu),     std::move(rss),   std::move(vms),    std::move(fds),
          std::move(max_fds), std::move(start), std::move(threads)};
}

}  // namespace doorbell
