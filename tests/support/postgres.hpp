#pragma once
// ThrowawayPostgres: a real PostgreSQL server for a test — initdb in a temporary directory, pg_ctl start
// on a free loopback port, stopped and deleted on destruction. Needs Debian's postgresql package (the
// newest installed version is used); run as root, the server runs as the `postgres` user (it refuses
// root), otherwise as the test's own user. `unavailable()` says why there is none, for an honest
// GTEST_SKIP. Not thread-safe.

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "support/free_port.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::testing {

// The programs of the newest PostgreSQL installed (/usr/lib/postgresql/<version>/bin); empty if none.
inline std::filesystem::path postgres_bin() {
  std::filesystem::path newest;
  int newest_version = -1;
  std::error_code error;
  for (const auto& version : std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
    const int number = std::atoi(version.path().filename().c_str());
    if (number > newest_version && std::filesystem::exists(version.path() / "bin" / "initdb", error)) {
      newest = version.path() / "bin";
      newest_version = number;
    }
  }
  return newest;
}

class ThrowawayPostgres {
 public:
  ThrowawayPostgres() : port_(free_port()) {
    reason_ = why_not();
    if (!reason_.empty()) return;
    std::filesystem::create_directories(home());
    if (geteuid() == 0) {
      // The temporary directory is root's: `postgres` may pass through it and owns what is inside.
      const auto* user = getpwnam("postgres");
      std::filesystem::permissions(dir_.path(), std::filesystem::perms::owner_all |
                                                    std::filesystem::perms::group_exec |
                                                    std::filesystem::perms::others_exec);
      if (chown(home().c_str(), user->pw_uid, user->pw_gid) != 0) {
        reason_ = "cannot give the cluster's directory to postgres";
        return;
      }
    }
    const auto init = as_postgres({(bin_ / "initdb").string(), "-D", (home() / "db").string(), "-A", "trust",
                                   "-U", "doorbell", "--no-sync"});
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
    const auto started = as_postgres({(bin_ / "pg_ctl").string(), "-D", (home() / "db").string(), "-o",
                                      "-p " + std::to_string(port_) + " -k " + home().string() +
                                          " -c listen_addresses=127.0.0.1 -c fsync=off",
                                      "-l", (home() / "log").string(), "-w", "start"});
    running_ = started.exit_code == 0;
    return running_ ? std::string() : "pg_ctl start failed: " + started.output;
  }
  // Stops the server (fast: open connections are closed), as an outage would.
  void stop() {
    as_postgres({(bin_ / "pg_ctl").string(), "-D", (home() / "db").string(), "-m", "fast", "stop"});
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
  std::string why_not() const {
    if (bin_.empty()) return "PostgreSQL is not installed (scripts/setup.sh)";
    if (geteuid() == 0 && getpwnam("postgres") == nullptr) return "root, and no postgres user to run it as";
    return {};
  }
  std::filesystem::path home() const { return dir_.path() / "pg"; }
  // Runs a server program: as `postgres` when this is root (the server refuses root), else as this user.
  CommandResult as_postgres(std::vector<std::string> argv) const {
    if (geteuid() == 0) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
    return run_command(argv);
  }

  const std::filesystem::path bin_ = postgres_bin();
  TempDir dir_;
  int port_;
  std::string reason_;
  bool running_ = false;
};

}  // namespace doorbell::testing
