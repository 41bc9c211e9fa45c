// The configuration loader on arbitrary documents: never crashes, and never echoes a secret's value in a
// problem it reports.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "doorbell/config/loader.hpp"

namespace {

const char* const kSecrets[][2] = {{"http", "api_token"}, {"http", "viewer_token"}, {"http", "metrics_token"},
                                   {"webhook", "secret"}, {"ntfy", "token"},        {"telegram", "bot_token"},
                                   {"mqtt", "password"}};

// The values the document gives its secret keys, as they could appear in a message.
std::vector<std::string> secret_values(const std::string& text) {
  std::vector<std::string> out;
  const auto doc = nlohmann::json::parse(text, nullptr, false, true);
  if (!doc.is_object()) return out;
  for (const auto& [section, key] : kSecrets) {
    if (!doc.contains(section) || !doc[section].is_object() || !doc[section].contains(key)) continue;
    const auto& v = doc[section][key];
    auto shown = v.is_string() ? v.get<std::string>() : v.dump();
    if (shown.size() >= 6) out.push_back(std::move(shown));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto no_env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  try {
    const auto config = doorbell::load_config_text(text, no_env);
    (void)doorbell::to_masked_json(config).dump();
  } catch (const doorbell::ConfigError& e) {
    for (const auto& secret : secret_values(text)) {
      for (const auto& problem : e.problems()) {
        if (problem.find(secret) != std::string::npos) __builtin_trap();  // a secret echoed
      }
    }
  }
  return 0;
}
