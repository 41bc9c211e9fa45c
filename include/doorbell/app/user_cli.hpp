#pragma once
// `doorbelld user add|passwd|role|remove|list ...`: the web app's logins. Passwords are read from the
// terminal without echo (asked twice), or as the first line of standard input when it is not a terminal;
// never from the command line. Returns the exit code (0 ok, 1 failed, 2 usage).

#include <string>
#include <vector>

#include "doorbell/config/config.hpp"

namespace doorbell {

int run_user_command(const Config& config, const std::vector<std::string>& args);
std::string user_usage();

}  // namespace doorbell
