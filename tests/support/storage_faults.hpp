#pragma once
// The fixture of the tests that break storage under the real daemon (storage_faults_test.cpp,
// crash_recovery_test.cpp): the doorstep daemon, checking storage five times a second, and the CLI beside
// it. Not thread-safe.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "support/doorstep.hpp"

namespace doorbell::testing {

class StorageFaultsTest : public ::testing::Test {
 protected:
  nlohmann::json config(const nlohmann::json& extra = nlohmann::json::object()) {
    auto c = doorstep_config(dir.path() / "camera");
    c.merge_patch({{"storage", {{"check_interval_seconds", 0.2}}}});
    c.merge_patch(extra);
    return c;
  }

  // The CLI on the daemon's configuration.
  CommandResult cli(const RunningDaemon& daemon, const std::vector<std::string>& args) {
    std::vector<std::string> argv{DOORBELLD_BINARY, "--config", daemon.config_file()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
  }

  static std::size_t event_count(const RunningDaemon& daemon) {
    return nlohmann::json::parse(daemon.client().Get("/api/events?limit=500")->body)["events"].size();
  }

  TempDir dir;
  const std::filesystem::path data_dir = dir.path() / "data";
  const nlohmann::json shared_data = {{"storage", {{"data_dir", data_dir.string()}}}};
};

// Overwrites 8 KiB in the middle of `file` with garbage, as a failing SD card might.
inline void damage(const std::filesystem::path& file) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(file) / 2 / 4096 * 4096));
  f << std::string(8192, '\x5a');
}

}  // namespace doorbell::testing
