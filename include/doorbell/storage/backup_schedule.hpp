#pragma once
// BackupSchedule: the database copied into storage.backup_dir (backup_database: consistent while the
// daemon writes, synced, checked) every storage.backup_interval_hours on the monotonic clock — and at
// start when the newest copy is older than that — keeping the newest storage.backup_keep. Copies are
// numbered (doorbelld-000042-20261201T190355Z.db), so the newest is known whatever the wall clock did. A
// failure is logged and counted, and tried again at the next call. Called from one thread (Retention's).

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <filesystem>
#include <optional>
#include <vector>

#include "doorbell/common/clock.hpp"
#include "doorbell/config/config.hpp"

namespace doorbell::storage {

class BackupSchedule {
 public:
  BackupSchedule(const StorageConfig& config, const Clock& clock, prometheus::Registry& registry);

  // Takes a backup when one is due; returns the file written.
  std::optional<std::filesystem::path> run_if_due();
  std::filesystem::path directory() const;  // storage.backup_dir, or <data_dir>/backups

 private:
  bool due();
  std::filesystem::path take();  // throws

  const StorageConfig& config_;
  const Clock& clock_;
  prometheus::Counter& succeeded_;
  prometheus::Counter& failed_;
  prometheus::Gauge& last_success_;
  std::optional<Clock::time_point> last_;  // the last backup, or where the schedule stands
};

// The numbered backups in `dir`, oldest first; other files are not theirs to touch.
std::vector<std::filesystem::path> numbered_backups(const std::filesystem::path& dir);

}  // namespace doorbell::storage
