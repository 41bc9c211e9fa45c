#pragma once
// DataDirLock: one process at a time owns a data directory as a daemon — an exclusive lock (flock) on
// <data_dir>/doorbelld.lock holding the owner's pid, released when the object goes or the process ends
// (also by kill -9). A second daemon, or a restore while the daemon runs, is refused naming the pid.
// Not thread-safe; one per process.

#include <filesystem>

namespace doorbell::storage {

class DataDirLock {
 public:
  // Throws DatabaseError naming the directory and the pid that holds it.
  explicit DataDirLock(const std::filesystem::path& data_dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace doorbell::storage
