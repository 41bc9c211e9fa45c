#include "doorbell/common/names.hpp"

#include <fmt/format.h>
#include <utf8proc.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

namespace doorbell {
namespace {

bool is_refused(utf8proc_category_t category) {
  switch (category) {
    case UTF8PROC_CATEGORY_CC:  // control
    case UTF8PROC_CATEGORY_CF:  // format: U+202E, U+200B, U+FEFF ...
    case UTF8PROC_CATEGORY_CS:  // surrogate
    case UTF8PROC_CATEGORY_CO:  // private use
    case UTF8PROC_CATEGORY_CN:  // unassigned
    case UTF8PROC_CATEGORY_ZL:  // line separator
    case UTF8PROC_CATEGORY_ZP:  // paragraph separator
      return true;
    default:
      return false;
  }
}

// Trimmed from both ends: Unicode spaces, and the tabs and line ends of pasted text.
bool is_space(utf8proc_int32_t cp) {
  return cp == '\t' || cp == '\n' || cp == '\r' || utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

}  // namespace

std::variant<std::string, NameError> normalize_name(std::string_view raw) {
  if (raw.size() > kMaxNameCharacters * 8) {
    return NameError{fmt::format("a name has at most {} characters", kMaxNameCharacters)};
  }
  utf8proc_uint8_t* nfc = nullptr;
  const auto length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(raw.data()),
                                   static_cast<utf8proc_ssize_t>(raw.size()), &nfc,
                                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (length < 0) return NameError{"a name must be UTF-8 text"};
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(nfc, &std::free);

  struct CodePoint {
    utf8proc_int32_t value;
    std::size_t offset;
    std::size_t size;
  };
  std::vector<CodePoint> text;
  for (utf8proc_ssize_t at = 0; at < length;) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(nfc + at, length - at, &cp);
    if (n <= 0) return NameError{"a name must be UTF-8 text"};
    text.push_back({cp, static_cast<std::size_t>(at), static_cast<std::size_t>(n)});
    at += n;
  }
  auto first = text.begin();
  auto last = text.end();
  while (first != last && is_space(first->value)) ++first;
  while (last != first && is_space((last - 1)->value)) --last;
  if (first == last) return NameError{"a name cannot be empty"};
  for (auto it = first; it != last; ++it) {
    if (is_refused(utf8proc_category(it->value))) {
      return NameError{fmt::format("a name cannot hold the invisible or control character U+{:04X}",
                                   static_cast<std::uint32_t>(it->value))};
    }
  }
  if (last - first > static_cast<std::ptrdiff_t>(kMaxNameCharacters)) {
    return NameError{fmt::format("a name has at most {} characters", kMaxNameCharacters)};
  }
  const auto begin = first->offset;
  const auto end = (last - 1)->offset + (last - 1)->size;
  std::string name(reinterpret_cast<const char*>(nfc) + begin, end - begin);
  // Letters that are default-ignorable (U+3164 HANGUL FILLER) show nothing and compare as nothing.
  if (name_key(name).empty()) return NameError{"a name needs a visible character"};
  return name;
}

std::string name_key(std::string_view name) {
  utf8proc_uint8_t* folded = nullptr;
  const auto length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(name.data()),
                   static_cast<utf8proc_ssize_t>(name.size()), &folded,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                                  UTF8PROC_CASEFOLD | UTF8PROC_IGNORE));
  if (length < 0) return {};
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(folded, &std::free);
  return {reinterpret_cast<const char*>(folded), static_cast<std::size_t>(length)};
}

}  // namespace doorbell
