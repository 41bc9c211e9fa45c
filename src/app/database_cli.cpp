#include "doorbell/app/database_cli.hpp"

#include <fmt/format.h>

#include "doorbell/app/cli_audit.hpp"
#include "doorbell/app/data_dir_owner.hpp"
#include "doorbell/app/options.hpp"
#include "doorbell/storage/data_dir_lock.hpp"
#include "doorbell/storage/database_file.hpp"

namespace doorbell {
namespace {

int db_usage_error(const std::string& message) {
  fmt::print(stderr, "doorbelld: {}\n{}", message, database_usage());
  return kExitUsage;
}

int check(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) {
    fmt::print(stderr, "doorbelld db check: there is no database at {}\n", file.string());
    return kExitFailure;
  }
  const auto problems = storage::integrity_problems(file, false);
  if (problems.empty()) {
    fmt::print("{}: ok\n", file.string());
    return 0;
  }
  fmt::print(stderr, "{}: damaged; stop doorbelld and restore a backup with `doorbelld restore FILE`\n",
             file.string());
  for (const auto& problem : problems) fmt::print(stderr, "  {}\n", problem);
  return kExitFailure;
}

}  // namespace

std::string database_usage() {
  return "usage: doorbelld [--config FILE] db check        (SQLite's integrity check of the database)\n"
         "       doorbelld [--config FILE] backup FILE     (a consistent copy, also while the daemon runs)\n"
         "       doorbelld [--config FILE] restore FILE    (the daemon stopped; the old database is kept)\n"
         "  The database holds people, face descriptors, events and logins; face images and snapshots are\n"
         "  files under storage.data_dir (faces/, events/): copy those alongside.\n";
}

int run_database_command(const Config& config, const std::vector<std::string>& args) {
  const std::filesystem::path data_dir = config.storage.data_dir;
  const auto file = storage::database_file(data_dir);
  const auto& command = args.at(0);
  try {
    const CliAudit audit(config);  // who ran it, before acting as the data directory's owner
    act_as_data_dir_owner(data_dir, command + " ...");
    if (command == "db") {
      if (args.size() != 2 || args[1] != "check") return db_usage_error("db takes one command: check");
      return check(file);
    }
    if (args.size() != 2) return db_usage_error(fmt::format("{} takes one file", command));
    const std::filesystem::path other = args[1];
    if (command == "backup") {
      storage::backup_database(file, other);
      audit.record("database.backup", "database", "", file.string(), "to " + other.string());
      fmt::print("backed up {} to {}\n", file.string(), other.string());
      return 0;
    }
    const storage::DataDirLock lock(data_dir);  // refuses while the daemon runs
    const auto kept = storage::restore_database(other, file);
    audit.record("database.restored", "database", "", file.string(), "from " + other.string());
    fmt::print("restored {} from {}{}\n", file.string(), other.string(),
               kept.empty() ? "" : fmt::format("; the previous database is {}", kept.string()));
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "doorbelld {}: {}\n", command, e.what());
    return kExitFailure;
  }
}

}  // namespace doorbell
