#pragma once
// The numbered migrations of doorbelld.db, shared by every store that opens it. Stateless.

#include <span>
#include <string_view>

namespace doorbell::storage {

std::span<const std::string_view> schema_migrations();

}  // namespace doorbell::storage
