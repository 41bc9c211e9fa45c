#pragma once
// The database file as a whole: its integrity, online backups (SQLite's backup API, consistent while the
// daemon writes), restores, and the check the daemon makes before any store opens it. Stateless;
// thread-safe.

#include <filesystem>
#include <string>
#include <vector>

namespace doorbell::storage {

// <data_dir>/doorbelld.db
std::filesystem::path database_file(const std::filesystem::path& data_dir);

// What SQLite finds wrong with `file` (PRAGMA integrity_check, or quick_check when `quick`); empty when
// it is sound. A file that cannot be opened as a database is one problem.
std::vector<std::string> integrity_problems(const std::filesystem::path& file, bool quick);

// Copies the database into `destination` (replaced whole, never left half written) and checks the copy.
// Throws DatabaseError.
void backup_database(const std::filesystem::path& file, const std::filesystem::path& destination);

// Replaces the database with `backup` after checking it (sound, and a schema this doorbelld knows). The
// old database, with its write-ahead log, is kept next to it as doorbelld.db.before-restore-<time>;
// returns that name (empty when there was none). The daemon must be stopped (see DataDirLock). Throws
// DatabaseError.
std::filesystem::path restore_database(const std::filesystem::path& backup,
                                       const std::filesystem::path& file);

// Throws DatabaseError saying what to do when the database fails SQLite's quick check, or is missing or
// empty while face images of an earlier database are still there.
void check_database_at_start(const std::filesystem::path& data_dir);

}  // namespace doorbell::storage
