#pragma once
// SpoolFile: the decided events a door holds while the shared database is away, on the door's own disk
// (table spooled_events of its doorbelld.db; commits synced), so that a door stopped, killed or powered off
// during an outage still stores them when the database returns: a row is written when its event is held,
// rewritten as its deliveries change (a notification sent is not sent again), and deleted once the shared
// database has the event. Owns one connection behind a mutex: thread-safe.

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <span>
#include <vector>

#include "doorbell/model/event.hpp"
#include "doorbell/storage/database.hpp"
#include "doorbell/storage/delivery_ledger.hpp"

namespace doorbell::storage {

struct SpooledEvent {
  std::int64_t row = 0;
  model::Event event;  // with its described faces and ring_id
  std::vector<Delivery> deliveries;
  std::vector<std::uint8_t> snapshot;
  std::filesystem::path snapshot_file;
};

class SpoolFile {
 public:
  explicit SpoolFile(const std::filesystem::path& data_dir);

  // Each throws DatabaseError. add returns the row.
  std::int64_t add(const model::Event& event, std::span<const Delivery> deliveries,
                   std::span<const std::uint8_t> snapshot, const std::filesystem::path& snapshot_file);
  void update(std::int64_t row, std::span<const Delivery> deliveries);
  void remove(std::int64_t row);
  std::vector<SpooledEvent> all();  // oldest first

 private:
  std::mutex mutex_;
  Database db_;
};

}  // namespace doorbell::storage
