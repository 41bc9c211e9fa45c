#pragma once
// Location: where a door keeps the household's records — doorbelld.db in its data directory (one door, the
// default), or a PostgreSQL database several doors share — beside the files that stay on the door's own
// disk (snapshots, face images, the ring journal). A value; thread-safe.

#include <filesystem>
#include <string>

#include "doorbell/config/config.hpp"
#include "doorbell/storage/database.hpp"

namespace doorbell::storage {

struct Location {
  // Records in <data_dir>/doorbelld.db: a data directory alone is a Location.
  Location(std::filesystem::path dir, std::string conninfo = {})  // NOLINT(google-explicit-constructor)
      : data_dir(std::move(dir)), postgres(std::move(conninfo)) {}
  Location(const std::string& dir)
      : Location(std::filesystem::path(dir)) {}                        // NOLINT(google-explicit-constructor)
  Location(const char* dir) : Location(std::filesystem::path(dir)) {}  // NOLINT(google-explicit-constructor)

  std::filesystem::path data_dir;
  std::string postgres;  // a libpq connection string (a secret: never logged); empty: SQLite
};

// Where a daemon configured with `storage` keeps its records.
inline Location records_location(const StorageConfig& storage) {
  return {storage.data_dir, storage.backend == "postgres" ? storage.postgres : std::string()};
}

// A connection to the records, migrated to the latest schema (the data directory is created if need be).
// Throws DatabaseError.
Database open_records(const Location& where, Durability durability = Durability::crash);

}  // namespace doorbell::storage
