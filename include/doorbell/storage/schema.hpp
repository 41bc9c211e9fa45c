#pragma once
// The numbered migrations of the household's records: doorbelld.db's (SQLite, shared by every store that
// opens it) and a PostgreSQL database's (the same tables, less the door's own ring journal). Stateless.

#include <span>
#include <string_view>

namespace doorbell::storage {

std::span<const std::string_view> schema_migrations();
std::span<const std::string_view> postgres_migrations();

}  // namespace doorbell::storage
