#pragma once
// The command line run by root on a data directory that belongs to the service's user (the Debian
// package's doorbelld) becomes that user before it opens anything there, so no file it creates — the
// database, its write-ahead log, face images — is root's and unwritable for the daemon. Call once, from
// the main thread, before any other thread starts.

#include <filesystem>
#include <string>

namespace doorbell {

// Nothing to do unless running as root and `data_dir` exists and belongs to another user; then the
// process takes that user's ids and groups for good (saying so on stderr). Throws std::runtime_error
// with the command to run instead when it cannot.
void act_as_data_dir_owner(const std::filesystem::path& data_dir, const std::string& command);

}  // namespace doorbell
