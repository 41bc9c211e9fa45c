#include "doorbell/storage/backup_schedule.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <string_view>

#include "doorbell/common/clock.hpp"
#include "doorbell/storage/database_file.hpp"

namespace doorbell::storage {
namespace {

constexpr std::string_view kPrefix = "doorbelld-";

// The number in doorbelld-<number>-<time>.db; nullopt for any other name.
std::optional<long long> number_of(const std::filesystem::path& file) {
  const auto name = file.filename().string();
  if (!name.starts_with(kPrefix) || !name.ends_with(".db")) return std::nullopt;
  const char* first = name.data() + kPrefix.size();
  long long number = 0;
  const auto [end, error] = std::from_chars(first, name.data() + name.size(), number);
  if (error != std::errc() || end == first || *end != '-') return std::nullopt;
  return number;
}

prometheus::Family<prometheus::Counter>& backups_family(prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("doorbell_backups_total")
      .Help("Scheduled database backups by result (storage.backup_interval_hours)")
      .Register(registry);
}

}  // namespace

std::vector<std::filesystem::path> numbered_backups(const std::filesystem::path& dir) {
  std::vector<std::pair<long long, std::filesystem::path>> found;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (const auto number = number_of(entry.path())) found.emplace_back(*number, entry.path());
  }
  std::ranges::sort(found);
  std::vector<std::filesystem::path> out;
  out.reserve(found.size());
  for (auto& [number, path] : found) out.push_back(std::move(path));
  return out;
}

BackupSchedule::BackupSchedule(const StorageConfig& config, const Clock& clock,
                               prometheus::Registry& registry)
    : config_(config),
      clock_(clock),
      succeeded_(backups_family(registry).Add({{"result", "ok"}})),
      failed_(backups_family(registry).Add({{"result", "failed"}})),
      last_success_(prometheus::BuildGauge()
                        .Name("doorbell_backup_last_success_timestamp_seconds")
                        .Help("When the last scheduled database backup was written (Unix time)")
                        .Register(registry)
                        .Add({})) {}

std::filesystem::path BackupSchedule::directory() const {
  return config_.backup_dir.empty() ? std::filesystem::path(config_.data_dir) / "backups"
                                    : std::filesystem::path(config_.backup_dir);
}

bool BackupSchedule::due() {
  const auto interval = ticks(config_.backup_interval_hours);
  if (interval.count() <= 0) return false;
  if (!last_) {  // at start: by the age of the newest copy on disk, if any
    const auto existing = numbered_backups(directory());
    std::error_code error;
    const auto written = existing.empty() ? std::filesystem::file_time_type()
                                          : std::filesystem::last_write_time(existing.back(), error);
    if (existing.empty() || error) return true;
    const auto age = std::clamp(std::chrono::duration_cast<Clock::time_point::duration>(
                                    std::filesystem::file_time_type::clock::now() - written),
                                Clock::time_point::duration::zero(), interval);
    last_ = clock_.now() - age;
  }
  return clock_.now() - *last_ >= interval;
}

std::filesystem::path BackupSchedule::take() {
  const auto dir = directory();
  std::filesystem::create_directories(dir);
  const auto existing = numbered_backups(dir);
  const long long number = existing.empty() ? 1 : *number_of(existing.back()) + 1;
  auto file =
      dir / fmt::format("{}{:06d}-{:%Y%m%dT%H%M%SZ}.db", kPrefix, number,
                        fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {  // left by a crash mid-copy
    if (entry.path().extension() == ".partial") std::filesystem::remove(entry.path());
  }
  backup_database(database_file(config_.data_dir), file);
  // The new copy is the newest: the oldest of those listed before it go.
  const auto keep_older = static_cast<std::size_t>(config_.backup_keep) - 1;
  for (std::size_t i = 0; i + keep_older < existing.size(); ++i) std::filesystem::remove(existing[i]);
  return file;
}

std::optional<std::filesystem::path> BackupSchedule::run_if_due() {
  if (!due()) return std::nullopt;
  try {
    auto file = take();
    last_ = clock_.now();
    succeeded_.Increment();
    last_success_.Set(
        static_cast<double>(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
    spdlog::info("backup: the database copied to {} (the newest {} kept)", file.string(),
                 config_.backup_keep);
    return file;
  } catch (const std::exception& e) {
    failed_.Increment();
    spdlog::error("backup: the scheduled backup into {} failed, trying again within {:.0f} s: {}",
                  directory().string(), config_.prune_interval_seconds.count(), e.what());
    return std::nullopt;
  }
}

}  // namespace doorbell::storage
