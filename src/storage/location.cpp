#include "doorbell/storage/location.hpp"

#include "doorbell/storage/database_file.hpp"
#include "doorbell/storage/schema.hpp"

namespace doorbell::storage {

Database open_records(const Location& where, Durability durability) {
  if (!where.postgres.empty()) return Database::postgres(where.postgres, postgres_migrations());
  std::filesystem::create_directories(where.data_dir);
  return {database_file(where.data_dir), schema_migrations(), durability};
}

}  // namespace doorbell::storage
