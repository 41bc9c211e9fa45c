#pragma once
// FileSweep: puts the files under the data directory and the rows that name them back in agreement
// after a crash, a power cut or an operator's hand: snapshots and face images without a row, and
// temporary files of interrupted writes, are deleted once older than a grace period (a file is written
// before its row is committed); rows whose file is gone lose the reference (an event keeps its decision,
// a face sample its descriptor). Recorded snapshot sizes become the bytes the files take on disk, which
// the retention size cap then counts. Owns a database connection: one thread at a time.

#include <chrono>
#include <cstdint>
#include <filesystem>

#include "doorbell/storage/database.hpp"

namespace doorbell::storage {

struct SweepResult {
  std::int64_t orphan_files = 0;   // deleted: no row named them
  std::int64_t missing_files = 0;  // rows whose file was gone
  std::int64_t resized = 0;        // snapshot sizes corrected to the bytes on disk
};

class FileSweep {
 public:
  explicit FileSweep(const std::filesystem::path& data_dir,
                     std::chrono::seconds grace = std::chrono::hours(1));
  SweepResult run();

 private:
  std::filesystem::path data_dir_;
  std::chrono::seconds grace_;
  Database db_;
};

// The bytes a file takes on disk (whole blocks); 0 when it does not exist.
std::int64_t bytes_on_disk(const std::filesystem::path& file);

}  // namespace doorbell::storage
