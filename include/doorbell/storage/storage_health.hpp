#pragma once
// StorageHealth: whether doorbelld can keep what it must, as the "storage" component of /api/ready.
// Not ready while the data directory's filesystem has less than storage.min_free_megabytes free, is
// read-only, or the data directory or its events folder cannot be written; nor after a failed write of
// an event, a snapshot or a delivery state, until such a write succeeds again (the database is probed
// with a real write every check while one is outstanding). With the records in a shared PostgreSQL
// database, that database is probed with a write at every check, and while it cannot be reached or
// written storage is degraded but ready: rings are still decided (the faces loaded last), notified, and
// held in the spool until it returns (a held event that cannot be kept on the door's own disk is a local
// problem: not ready). Free space is exported as a gauge, failed writes as a counter. A
// worker checks every storage.check_interval_seconds. Thread-safe.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "doorbell/common/health.hpp"
#include "doorbell/common/worker.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/storage/location.hpp"

namespace doorbell::storage {

// spool: a held event kept on the door's own disk (with a shared database, EventSpool).
enum class StoredItem { event, snapshot, delivery, spool };
const char* to_string(StoredItem item) noexcept;

class StorageHealth {
 public:
  StorageHealth(const StorageConfig& config, Component& component, prometheus::Registry& registry);
  ~StorageHealth();

  // A write of `item` failed with `error` (logged by the caller): counted, and not ready until a write
  // of the same item succeeds.
  void failed(StoredItem item, const std::string& error);
  void succeeded(StoredItem item);
  // One check of space, folders and (after a failed database write) the database, on the calling thread.
  void check_now();
  std::optional<std::string> problem() const;  // what keeps storage from being ready, if anything

  void start();
  void stop();

 private:
  void set_problem(const std::string& key, std::optional<std::string> problem);  // caller holds mutex_
  void publish();                                                                // caller holds mutex_
  std::string all_problems() const;                                              // caller holds mutex_
  // A real write (a row replaced) through `probe`, opened at `where` when need be; nullopt on success.
  static std::optional<std::string> write_error(std::unique_ptr<Database>& probe, const Location& where);
  bool shared() const;                                    // the records are in PostgreSQL
  bool lowers_to_degraded(const std::string& key) const;  // a problem of the shared database only

  const StorageConfig& config_;  // read when used: a test sets it up after constructing
  Component& component_;
  prometheus::Family<prometheus::Counter>& failures_;
  prometheus::Gauge& free_bytes_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> problems_;  // guarded by mutex_; by what they concern
  std::unique_ptr<Database> probe_;              // the records; used by the checking thread only
  std::unique_ptr<Database> local_probe_;        // the door's doorbelld.db (with a shared database)
  std::unique_ptr<Worker> worker_;               // last: stops before the rest goes
};

}  // namespace doorbell::storage
