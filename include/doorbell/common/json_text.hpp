#pragma once
// JSON as text for the wire. Strings that are not valid UTF-8 (a name stored by an older version, bytes
// from a client) are written with U+FFFD in place of the bad bytes, where nlohmann's dump() would throw.
// Stateless; thread-safe.

#include <nlohmann/json.hpp>
#include <string>

namespace doorbell {

inline std::string json_text(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace doorbell
