#pragma once
// ThrowawayPostgres: a real PostgreSQL server for a test — initdb in a temporary directory, pg_ctl start
// on a free loopback port, run as the `postgres` user (the server refuses root), stopped and deleted on
// destruction. Needs Debian's postgresql package and root (to act as `postgres`); `unavailable()` says
// why not, for an honest GTEST_SKIP. Not thread-safe.

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "support/free_port.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::testing {

inline const std::filesystem::path kPostgresBin = "/usr/lib/postgresql/15/bin";

class ThrowawayPostgres {
 public:
  ThrowawayPostgres() : port_(free_port()) {
    reason_ = why_not();
    if (!reason_.empty()) return;
    const auto* user = getpwnam("postgres");
    // The temporary directory is root's: `postgres` may pass through it and owns what is inside.
    std::filesystem::permissions(dir_.path(), std::filesystem::perms::owner_all |
                                                  std::filesystem::perms::group_exec |
                                                  std::filesystem::perms::others_exec);
    std::filesystem::create_directories(home());
    if (chown(home().c_str(), user->pw_uid, user->pw_gid) != 0) {
      reason_ = "cannot give the cluster's directory to postgres";
      return;
    }
    const auto init = as_postgres({(kPostgresBin / "initdb").string(), "-D", (home() / "db").string(), "-A",
                                   "trust", "-U", "doorbell", "--no-sync"});
    if (init.exit_code != 0) {
      reason_ = "initdb failed: " + init.output;
      return;
    }
    reason_ = start();
  }
  ~ThrowawayPostgres() {
    if (running_) stop();
  }
  ThrowawayPostgres(const ThrowawayPostgres&) = delete;
  ThrowawayPostgres& operator=(const ThrowawayPostgres&) = delete;

  // Starts the server again after stop(); empty when it runs, else why not.
  std::string start() {
    const auto started =
        as_postgres({(kPostgresBin / "pg_ctl").string(), "-D", (home() / "db").string(), "-o",
                     "-p " + std::to_string(port_) + " -k " + home().string() +
                         " -c listen_addresses=127.0.0.1 -c fsync=off",
                     "-l", (home() / "log").string(), "-w", "start"});
    running_ = started.exit_code == 0;
    return running_ ? std::string() : "pg_ctl start failed: " + started.output;
  }
  // Stops the server (fast: open connections are closed), as an outage would.
  void stop() {
    as_postgres({(kPostgresBin / "pg_ctl").string(), "-D", (home() / "db").string(), "-m", "fast", "stop"});
    running_ = false;
  }

  // Empty when the server runs; else why it does not.
  const std::string& unavailable() const { return reason_; }
  // A libpq connection string for the database `postgres` as the superuser `doorbell`.
  std::string conninfo() const {
    return "host=127.0.0.1 port=" + std::to_string(port_) +
           " user=doorbell dbname=postgres connect_timeout=5";
  }

 private:
  static std::string why_not() {
    if (!std::filesystem::exists(kPostgresBin / "initdb"))
      return "PostgreSQL 15 is not installed (scripts/setup.sh)";
    if (geteuid() != 0) return "not root: cannot run the server as the postgres user";
    if (getpwnam("postgres") == nullptr) return "no postgres user";
    return {};
  }
  std::filesystem::path home() const { return dir_.path() / "pg"; }
  CommandResult as_postgres(std::vector<std::string> argv) const {
    argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
    return run_command(argv);
  }

  TempDir dir_;
  int port_;
  std::string reason_;
  bool running_ = false;
};

}  // namespace doorbell::testing
