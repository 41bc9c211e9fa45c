#pragma once
// Files that are either whole or absent: written to a temporary name in the same folder, flushed to the
// disk (fsync), then renamed over the final name and the folder flushed too — a crash or a full disk
// never leaves half a snapshot or face crop behind a name — and read back whole. Stateless; thread-safe.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

namespace doorbell::storage {

// Creates the parent folders as needed. Throws std::system_error naming the file (ENOSPC, EACCES, ...);
// nothing is left behind then.
void write_file_atomically(const std::filesystem::path& file, std::span<const std::uint8_t> bytes);
// The same, the file made of `pieces` one after the other (written from where they are, not joined first).
void write_file_atomically(const std::filesystem::path& file,
                           std::span<const std::span<const std::uint8_t>> pieces);
// The file's bytes; nullopt when it cannot be read (gone: pruned, swept or removed by hand).
std::optional<std::vector<std::uint8_t>> read_whole_file(const std::filesystem::path& file);

}  // namespace doorbell::storage
