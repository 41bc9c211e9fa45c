#pragma once
// Files that are either whole or absent: written to a temporary name in the same folder, flushed to the
// disk (fsync), then renamed over the final name and the folder flushed too — a crash or a full disk
// never leaves half a snapshot or face crop behind a name. Stateless; thread-safe.

#include <cstdint>
#include <filesystem>
#include <span>

namespace doorbell::storage {

// Creates the parent folders as needed. Throws std::system_error naming the file (ENOSPC, EACCES, ...);
// nothing is left behind then.
void write_file_atomically(const std::filesystem::path& file, std::span<const std::uint8_t> bytes);

}  // namespace doorbell::storage
