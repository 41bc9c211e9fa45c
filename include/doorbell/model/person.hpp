#pragma once
// A person of the gallery: someone the household named, as family or friend (known) or as someone to be
// warned about (blacklist). Value types.

#include <cstdint>
#include <string>
#include <string_view>

namespace doorbell::model {

enum class PersonKind { known, blacklist };
const char* to_string(PersonKind kind) noexcept;
PersonKind person_kind(std::string_view text) noexcept;  // the inverse of to_string ("known" otherwise)

struct Person {
  std::int64_t id = 0;
  std::string name;
  PersonKind kind = PersonKind::known;
};

}  // namespace doorbell::model
