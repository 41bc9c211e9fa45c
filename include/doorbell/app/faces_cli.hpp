#pragma once
// `doorbelld faces ...`: enroll, blacklist, list, remove, identify and calibrate from the command line.
// Writes results to stdout and problems to stderr; returns the exit code (0 ok, 1 failed, 2 usage).

#include <string>
#include <vector>

#include "doorbell/config/config.hpp"

namespace doorbell {

int run_faces_command(const Config& config, const std::vector<std::string>& args);
std::string faces_usage();

}  // namespace doorbell
