#include "doorbell/model/person.hpp"

namespace doorbell::model {

const char* to_string(PersonKind kind) noexcept {
  return kind == PersonKind::known ? "known" : "blacklist";
}

PersonKind person_kind(std::string_view text) noexcept {
  return text == "blacklist" ? PersonKind::blacklist : PersonKind::known;
}

}  // namespace doorbell::model
