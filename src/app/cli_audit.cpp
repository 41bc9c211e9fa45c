#include "doorbell/app/cli_audit.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

namespace doorbell {
namespace {

std::string user_name(uid_t uid) {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* user = nullptr;
  ::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &user);
  return user != nullptr ? user->pw_name : std::to_string(uid);
}

// "cli:dana", or "cli:root (sudo by dana)".
std::string cli_actor() {
  auto name = "cli:" + user_name(::getuid());
  // The command line has one thread, and nothing in doorbelld changes its environment.
  const char* sudo = std::getenv("SUDO_USER");  // NOLINT(concurrency-mt-unsafe)
  if (sudo != nullptr && ::getuid() == 0) name += fmt::format(" (sudo by {})", sudo);
  return name;
}

}  // namespace

CliAudit::CliAudit(const Config& config)
    : where_(storage::records_location(config.storage)),
      door_(config.door.id),
      actor_{cli_actor(), "cli", ""} {}

void CliAudit::record(const std::string& action, const std::string& object_type, const std::string& object_id,
                      const std::string& object_name, const std::string& detail) const {
  try {
    storage::AuditStore(where_).append({.door = door_,
                                        .actor = actor_,
                                        .action = action,
                                        .object_type = object_type,
                                        .object_id = object_id,
                                        .object_name = object_name,
                                        .detail = detail});
  } catch (const std::exception& e) {
    fmt::print(stderr, "doorbelld: warning: {} of {} \"{}\" is not in the audit trail: {}\n", action,
               object_type, object_name, e.what());
  }
}

}  // namespace doorbell
