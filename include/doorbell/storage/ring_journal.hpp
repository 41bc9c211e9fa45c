#pragma once
// RingJournal: every accepted ring, written before it is queued and deleted in the transaction that
// stores its decision (EventStore::insert with model::Event::ring_id), so that a ring the process did not
// live to decide — kill -9, a power cut, a shutdown with rings still queued — is found at the next start
// and recorded as an `interrupted` event instead of vanishing. Commits are synced (Durability::power_cut).
// Owns one connection behind a mutex: thread-safe.

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "doorbell/storage/database.hpp"

namespace doorbell::storage {

struct JournaledRing {
  std::int64_t id = 0;
  std::string time;  // ISO 8601 UTC
  std::string source;
  std::string trace_id;
  std::string span_id;
  bool clock_synced = true;  // `time` came from a synchronised wall clock
};

class RingJournal {
 public:
  explicit RingJournal(const std::filesystem::path& data_dir);

  // Returns the ring's id. Throws DatabaseError.
  std::int64_t record(const JournaledRing& ring);
  void forget(std::int64_t id);  // a ring that was not queued after all
  std::vector<JournaledRing> unfinished();

 private:
  std::mutex mutex_;
  Database db_;
};

}  // namespace doorbell::storage
