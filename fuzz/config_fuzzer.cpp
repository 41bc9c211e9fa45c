// The configuration loader on arbitrary documents: never crashes, and never echoes a secret's value in a
// problem it reports.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/schema.hpp"
#include "doorbell/config/loader.hpp"

namespace {

using nlohmann::json;

const auto no_env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };

// The problems the loader reports for a document (none when it loads).
std::vector<std::string> problems_of(const std::string& text) {
  try {
    const auto config = doorbell::load_config_text(text, no_env);
    (void)doorbell::to_masked_json(config).dump();
    return {};
  } catch (const doorbell::ConfigError& e) {
    return e.problems();
  }
}

bool any_contains(const std::vector<std::string>& problems, const std::string& needle) {
  for (const auto& problem : problems) {
    if (problem.find(needle) != std::string::npos) return true;
  }
  return false;
}

// The string a secret key of the document holds, if any.
json* secret_value(json& doc, const doorbell::config_schema::Field& field) {
  if (!doc.contains(field.section) || !doc[field.section].is_object()) return nullptr;
  auto& section = doc[field.section];
  if (!section.contains(field.key) || !section[field.key].is_string()) return nullptr;
  return &section[field.key];
}

// A problem may contain a secret's value by chance ("unknown" in "unknown key"): a secret counts as
// echoed only if a marker put in front of its value shows up in the problems of the marked document.
// The marker is one the document does not hold already (libFuzzer learns the strings it is compared with).
bool echoes_a_secret(const std::string& text, const std::vector<std::string>& problems) {
  auto doc = json::parse(text, nullptr, false, true);
  if (!doc.is_object()) return false;
  const auto plain = doc.dump();
  for (const auto& field : doorbell::config_schema::fields()) {
    if (!field.secret) continue;
    auto* value = secret_value(doc, field);
    if (value == nullptr) continue;
    const auto secret = value->get<std::string>();
    if (secret.size() < 6 || !any_contains(problems, secret)) continue;
    std::string marker = "SECRET-MARKER-" + field.path() + "-";
    while (plain.find(marker) != std::string::npos) marker += '#';
    *value = marker + secret;
    if (any_contains(problems_of(doc.dump()), marker)) return true;
    *value = secret;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto problems = problems_of(text);
  if (!problems.empty() && echoes_a_secret(text, problems)) __builtin_trap();
  return 0;
}
