#pragma once
// Checks of the notification and tracing settings that one key's type and range cannot express: URLs, secrets
// that a channel needs, event-kind lists, quiet hours. Internal to src/config. Stateless; thread-safe.

#include <string>
#include <vector>

#include "doorbell/config/config.hpp"

namespace doorbell {

void check_notifications(const Config& config, std::vector<std::string>& problems);

}  // namespace doorbell
