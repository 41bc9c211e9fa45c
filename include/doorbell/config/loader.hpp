#pragma once
// Loading, validating and printing the configuration: JSON file (comments allowed), then
// DOORBELL_<SECTION>_<KEY> environment overrides, then checks. Stateless functions; thread-safe.

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "doorbell/config/config.hpp"

namespace doorbell {

// Every problem found, each naming the key (or file) and what was expected.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const noexcept { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// Reads one environment variable; empty optional when unset. Injected so tests need not touch environ.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_environment();

// No file: built-in defaults plus environment overrides. Throws ConfigError. A file holding a secret
// (the configuration file when it sets one, a token file, the TLS key) that every user may change is a
// problem; one every user may read is a warning, added to `warnings` when given. No message ever holds
// a secret's value.
Config load_config(const std::optional<std::filesystem::path>& file, const EnvLookup& env,
                   std::vector<std::string>* warnings = nullptr);
// The same from a JSON document in memory (tests, fuzzing); messages call it "configuration".
Config load_config_text(std::string_view text, const EnvLookup& env);

// The effective configuration as JSON; secrets are replaced by "***".
nlohmann::json to_masked_json(const Config& config);

// Keys whose values differ, e.g. {"log.level"}; used to apply reloadable settings on SIGHUP.
std::vector<std::string> changed_keys(const Config& before, const Config& after);
bool is_reloadable(const std::string& key);

// Every key as "section.key", in documentation order.
std::vector<std::string> config_keys();

}  // namespace doorbell
