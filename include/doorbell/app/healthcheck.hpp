#pragma once
// `doorbelld healthcheck [--ready]`: asks the daemon configured by `http` for /api/health (or
// /api/ready) over loopback, prints one line, and exits 0 when it answers 200, 1 otherwise — what a
// Docker HEALTHCHECK needs without curl in the image. Stateless; thread-safe.

#include <string>
#include <vector>

#include "doorbell/config/config.hpp"

namespace doorbell {

int run_healthcheck(const HttpConfig& http, const std::vector<std::string>& args);

}  // namespace doorbell
