#pragma once
// `doorbelld db check`, `doorbelld backup FILE` and `doorbelld restore FILE`: the database as a whole.
// A backup is consistent while the daemon runs; a restore needs it stopped. Returns the exit code
// (0 ok, 1 failed or damaged, 2 usage).

#include <string>
#include <vector>

#include "doorbell/config/config.hpp"

namespace doorbell {

// `args` start with the command word: {"db", "check"}, {"backup", FILE} or {"restore", FILE}.
int run_database_command(const Config& config, const std::vector<std::string>& args);
std::string database_usage();

}  // namespace doorbell
