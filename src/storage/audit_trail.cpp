#include "doorbell/storage/audit_trail.hpp"

#include <spdlog/spdlog.h>

#include "doorbell/model/time_text.hpp"

namespace doorbell::storage {

AuditTrail::AuditTrail(const Location& where, std::string door, prometheus::Registry& registry)
    : door_(std::move(door)),
      store_(where),
      entries_(prometheus::BuildCounter()
                   .Name("doorbell_audit_entries_total")
                   .Help("Entries written to the audit trail, by action")
                   .Register(registry)),
      failures_(prometheus::BuildCounter()
                    .Name("doorbell_audit_failures_total")
                    .Help("Audit entries that could not be written to the records (each one is in the log)")
                    .Register(registry)
                    .Add({})) {}

void AuditTrail::record(AuditEntry entry) noexcept {
  entry.door = door_;
  try {
    {
      std::lock_guard lock(mutex_);
      store_.append(entry);
    }
    entries_.Add({{"action", entry.action}}).Increment();
  } catch (const std::exception& e) {
    failures_.Increment();
    spdlog::error("audit: cannot record {} of {} {} (\"{}\") by {} ({}) from {}: {}", entry.action,
                  entry.object_type, entry.object_id, entry.object_name, entry.actor.name, entry.actor.kind,
                  entry.actor.address.empty() ? "here" : entry.actor.address, e.what());
  }
}

std::vector<AuditEntry> AuditTrail::list(const AuditQuery& query) {
  std::lock_guard lock(mutex_);
  return store_.list(query);
}

std::int64_t AuditTrail::prune(Days keep_days, std::chrono::system_clock::time_point now) {
  if (keep_days <= Days(0)) return 0;
  const auto before = model::iso_time_before(now, keep_days);
  std::lock_guard lock(mutex_);
  return store_.prune(before);
}

}  // namespace doorbell::storage
