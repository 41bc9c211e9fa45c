#pragma once
// Command-line options of doorbelld. Stateless functions; thread-safe.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace doorbell {

enum class Action { run, check_config, print_config, version, help, faces, healthcheck, user, database };

struct Options {
  Action action = Action::run;
  std::optional<std::filesystem::path> config_file;
  // After "faces", "user" or "healthcheck": their arguments; for the database: from "db", "backup" or
  // "restore" on.
  std::vector<std::string> command;
};

// Throws std::invalid_argument with a message for the user on an unknown or incomplete option.
Options parse_options(const std::vector<std::string>& args);
std::string usage();

// Exit codes: 0 success, 1 runtime failure (e.g. port in use), 2 bad configuration or usage.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

}  // namespace doorbell
