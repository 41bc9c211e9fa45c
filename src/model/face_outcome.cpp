#include "doorbell/model/face_outcome.hpp"

namespace doorbell::model {

const char* to_string(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::known:
      return "known";
    case Verdict::blacklisted:
      return "blacklisted";
    case Verdict::unknown:
      return "unknown";
  }
  return "unknown";
}

std::optional<Verdict> parse_verdict(std::string_view text) noexcept {
  for (const auto v : {Verdict::known, Verdict::blacklisted, Verdict::unknown}) {
    if (text == to_string(v)) return v;
  }
  return std::nullopt;
}

}  // namespace doorbell::model
