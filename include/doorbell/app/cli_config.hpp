#pragma once
// Which configuration the command-line tools (faces, user, db) act on: the one --config names, else the
// installed /etc/doorbelld/doorbelld.json, said aloud; with neither (and no DOORBELL_STORAGE_DATA_DIR),
// they refuse instead of creating /var/lib/doorbelld by surprise. Stateless functions; thread-safe.

#include <filesystem>
#include <optional>
#include <string>

#include "doorbell/config/loader.hpp"

namespace doorbell {

inline const std::filesystem::path kInstalledConfig = "/etc/doorbelld/doorbelld.json";

struct CliConfigChoice {
  std::optional<std::filesystem::path> file;  // the file to load, if any
  std::string notice;                         // what the user is told (which file), or empty
  std::string refusal;                        // non-empty: refuse with this message
};

// `installed` is where the package puts the configuration (a parameter for tests).
CliConfigChoice choose_cli_config(const std::optional<std::filesystem::path>& given, const EnvLookup& env,
                                  const std::filesystem::path& installed = kInstalledConfig);

}  // namespace doorbell
