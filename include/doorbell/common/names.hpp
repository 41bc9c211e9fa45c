#pragma once
// Names people type (a person in the gallery, a login): one canonical form, so that "José" typed as
// one code point (NFC) or as "e" plus a combining accent (NFD) is the same name, and nothing invisible
// or direction-changing (U+202E, zero-width space) hides in it. Stateless; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace doorbell {

inline constexpr std::size_t kMaxNameCharacters = 64;

// The name in NFC with surrounding white space removed, or (as the error) why it is not acceptable:
// not UTF-8, empty, longer than kMaxNameCharacters characters, or holding a control, format,
// surrogate, private-use or unassigned character, or a line or paragraph separator, or nothing visible.
struct NameError {
  std::string message;
};
std::variant<std::string, NameError> normalize_name(std::string_view raw);

// The form two names are compared in when case must not matter (logins): NFKC with Unicode case
// folding, so "José", "JOSÉ" and "josé" are one name, as are "ａlice" (fullwidth) and "alice". Kept
// apart from the name as written, which is what is shown. Empty when `name` is not UTF-8.
std::string name_key(std::string_view name);

}  // namespace doorbell
