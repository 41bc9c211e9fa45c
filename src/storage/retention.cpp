#include "doorbell/storage/retention.hpp"

#include <spdlog/spdlog.h>

#include <cmath>

#include "doorbell/common/clock.hpp"
#include "doorbell/common/interruptible_sleep.hpp"
#include "doorbell/model/time_text.hpp"

namespace doorbell::storage {
namespace {

prometheus::Family<prometheus::Counter>& deleted_family(prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("doorbell_retention_deleted_total")
      .Help(
          "Removed by retention: events (for their age), snapshot files (for age or total size), visitor "
          "clusters (not seen for visitors.keep_days) and audit entries (older than audit.keep_days)")
      .Register(registry);
}

}  // namespace

Retention::Retention(const StorageConfig& config, EventStore& events, Component& component,
                     const Clock& clock, prometheus::Registry& registry,
                     std::function<std::int64_t()> expire_visitors, std::function<std::int64_t()> prune_audit)
    : config_(config),
      events_(events),
      expire_visitors_(std::move(expire_visitors)),
      prune_audit_(std::move(prune_audit)),
      component_(component),
      events_deleted_(deleted_family(registry).Add({{"item", "event"}})),
      snapshots_deleted_(deleted_family(registry).Add({{"item", "snapshot"}})),
      visitors_deleted_(deleted_family(registry).Add({{"item", "visitor"}})),
      audit_deleted_(deleted_family(registry).Add({{"item", "audit_entry"}})),
      failures_(prometheus::BuildCounter()
                    .Name("doorbell_retention_failures_total")
                    .Help("Pruning passes that failed (retried at the next interval) or files left behind")
                    .Register(registry)
                    .Add({})),
      snapshot_bytes_(prometheus::BuildGauge()
                          .Name("doorbell_snapshot_bytes")
                          .Help("Bytes of event snapshots kept, as of the last pruning pass")
                          .Register(registry)
                          .Add({})),
      reconciled_(
          prometheus::BuildCounter()
              .Name("doorbell_storage_reconciled_total")
              .Help("Files and rows put back in agreement: orphan_file deleted, missing_file forgotten")
              .Register(registry)),
      clock_(clock),
      backups_(config, clock_, registry) {
  for (const auto* item : {"orphan_file", "missing_file"}) reconciled_.Add({{"item", item}});
}

Retention::~Retention() {
  stop();
}

void Retention::prune_now() {
  std::optional<std::string> before;
  if (config_.retention_days > Days(0))
    before = model::iso_time_before(clock_.wall_now(), config_.retention_days);
  const auto max_bytes = std::llround(config_.max_snapshot_megabytes * 1024 * 1024);
  try {
    const auto r = events_.prune(before, max_bytes);
    events_deleted_.Increment(static_cast<double>(r.events));
    snapshots_deleted_.Increment(static_cast<double>(r.snapshots));
    failures_.Increment(static_cast<double>(r.file_errors));
    snapshot_bytes_.Set(static_cast<double>(r.snapshot_bytes));
    if (r.events > 0 || r.snapshots > 0) {
      spdlog::info("retention: deleted {} event(s) and {} snapshot(s), {:.1f} MB freed, {:.1f} MB kept",
                   r.events, r.snapshots, static_cast<double>(r.bytes_freed) / 1048576,
                   static_cast<double>(r.snapshot_bytes) / 1048576);
    }
    if (expire_visitors_) {
      const auto expired = expire_visitors_();
      visitors_deleted_.Increment(static_cast<double>(expired));
      if (expired > 0)
        spdlog::info("retention: deleted {} visitor cluster(s) not seen for too long", expired);
    }
    if (prune_audit_) {
      const auto pruned = prune_audit_();
      audit_deleted_.Increment(static_cast<double>(pruned));
      if (pruned > 0) spdlog::info("retention: deleted {} audit entries older than audit.keep_days", pruned);
    }
    if (config_.backend == "sqlite") {  // the files the door's own records name (shared records name none)
      if (!sweep_) sweep_ = std::make_unique<FileSweep>(config_.data_dir);
      const auto swept = sweep_->run();
      reconciled_.Add({{"item", "orphan_file"}}).Increment(static_cast<double>(swept.orphan_files));
      reconciled_.Add({{"item", "missing_file"}}).Increment(static_cast<double>(swept.missing_files));
    }
  } catch (const std::exception& e) {
    failures_.Increment();
    spdlog::error("retention: pruning failed, retrying in {:.0f} s: {}",
                  config_.prune_interval_seconds.count(), e.what());
  }
}

void Retention::start() {
  worker_ = std::make_unique<Worker>(component_, [this](std::stop_token stop, Component& self) {
    self.set_ready();
    const auto interval = ticks(config_.prune_interval_seconds);
    do {
      prune_now();
      backups_.run_if_due();
    } while (sleep_for(stop, interval));
  });
}

void Retention::stop() {
  stop_worker(worker_);
}

}  // namespace doorbell::storage
