#pragma once
// ProcessCollector: the standard process_* metrics (CPU, memory, file descriptors, start time) and the
// CPU of each named thread (doorbell_thread_cpu_seconds_total: the camera, the face assessor…) read
// from /proc/self at scrape time. Thread-safe.

#include <prometheus/collectable.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace doorbell {

struct ProcessStats {
  double cpu_seconds = 0;
  double resident_memory_bytes = 0;
  double virtual_memory_bytes = 0;
  double start_time_seconds = 0;  // since the Unix epoch
  double open_fds = 0;
  double max_fds = 0;
};

// Reads the stats of the calling process from `proc` (normally /proc); empty if /proc is unreadable.
std::optional<ProcessStats> read_process_stats(const std::filesystem::path& proc = "/proc");

// CPU seconds (user + system) of the calling process's threads, summed by thread name (the workers are
// named after their components: "camera", "face_assessor", "recognition_0"…).
std::map<std::string, double> read_thread_cpu(const std::filesystem::path& proc = "/proc");

class ProcessCollector final : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace doorbell
