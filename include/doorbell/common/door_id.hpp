#pragma once
// What a door's id may be (door.id, ?door=): 1 to 32 of a-z, 0-9 and -. Stateless.

#include <algorithm>
#include <string_view>

namespace doorbell {

inline bool is_door_id(std::string_view id) {
  return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace doorbell
