#pragma once
// Retention: a pruning job that, every storage.prune_interval_seconds, deletes events older than
// storage.retention_days with their snapshots and then the oldest snapshots beyond
// storage.max_snapshot_megabytes, then has the visitor clusters not seen for too long expire and the audit
// entries older than audit.keep_days deleted, then sweeps
// files and rows that disagree (FileSweep), then takes the scheduled database backup when it is due
// (BackupSchedule). A failed pass is logged, counted and retried at the next interval. start()/stop() from
// one thread.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <functional>
#include <memory>

#include "doorbell/common/health.hpp"
#include "doorbell/common/worker.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/storage/backup_schedule.hpp"
#include "doorbell/storage/event_store.hpp"
#include "doorbell/storage/file_sweep.hpp"

namespace doorbell::storage {

class Retention {
 public:
  // `expire_visitors` and `prune_audit` (optional) delete the visitor clusters and audit entries due and
  // return how many.
  Retention(const StorageConfig& config, EventStore& events, Component& component, const Clock& clock,
            prometheus::Registry& registry, std::function<std::int64_t()> expire_visitors = {},
            std::function<std::int64_t()> prune_audit = {});
  ~Retention();

  void start();
  void stop();
  void prune_now();  // one pass, on the calling thread

 private:
  const StorageConfig& config_;
  EventStore& events_;
  const std::function<std::int64_t()> expire_visitors_;
  const std::function<std::int64_t()> prune_audit_;
  Component& component_;
  prometheus::Counter& events_deleted_;
  prometheus::Counter& snapshots_deleted_;
  prometheus::Counter& visitors_deleted_;
  prometheus::Counter& audit_deleted_;
  prometheus::Counter& failures_;
  prometheus::Gauge& snapshot_bytes_;
  prometheus::Family<prometheus::Counter>& reconciled_;
  std::unique_ptr<FileSweep> sweep_;  // opened by the first pass, on the worker's thread
  const Clock& clock_;
  BackupSchedule backups_;          // the worker's thread
  std::unique_ptr<Worker> worker_;  // last: stops before the rest goes
};

}  // namespace doorbell::storage
