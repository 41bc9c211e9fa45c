#pragma once
// AuditTrail: the audit trail as the daemon and the command line use it — record() after a change is
// made (it never throws: a trail that cannot be written is logged with the entry, so the log keeps it,
// and counted), list() for GET /api/audit, prune() for retention (audit.keep_days). Counts entries by
// action. Thread-safe (one connection, serialised).

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <mutex>
#include <string>
#include <vector>

#include "doorbell/storage/audit_store.hpp"

namespace doorbell::storage {

class AuditTrail {
 public:
  // `door` is door.id (empty for the only door). Throws DatabaseError when the records cannot be opened.
  AuditTrail(const Location& where, std::string door, prometheus::Registry& registry);

  void record(AuditEntry entry) noexcept;
  std::vector<AuditEntry> list(const AuditQuery& query);  // throws DatabaseError
  // Deletes the entries older than `keep_days` before `now` (none when it is 0 or less); returns how many.
  std::int64_t prune(Days keep_days, std::chrono::system_clock::time_point now);

 private:
  const std::string door_;
  std::mutex mutex_;
  AuditStore store_;  // guarded by mutex_
  prometheus::Family<prometheus::Counter>& entries_;
  prometheus::Counter& failures_;
};

}  // namespace doorbell::storage
