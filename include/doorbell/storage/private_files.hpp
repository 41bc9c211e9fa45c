#pragma once
// Biometric data stays private: the data directory and everything in it (database, face crops,
// snapshots) for the daemon's user and group only. New files get that from the process's umask (027,
// set in main); this tightens what an older version or another tool left readable by everyone.
// Stateless; thread-safe.

#include <cstddef>
#include <filesystem>

namespace doorbell::storage {

// Creates `data_dir` (0750) if needed and removes every permission for "others" below it. Returns how
// many entries were tightened; entries it may not change are skipped.
std::size_t make_private(const std::filesystem::path& data_dir);

}  // namespace doorbell::storage
