// doorbelld: parse arguments, load the configuration, set up logging, run the daemon.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "doorbell/app/cli_config.hpp"
#include "doorbell/app/daemon.hpp"
#include "doorbell/app/database_cli.hpp"
#include "doorbell/app/faces_cli.hpp"
#include "doorbell/app/healthcheck.hpp"
#include "doorbell/app/options.hpp"
#include "doorbell/app/signals.hpp"
#include "doorbell/app/user_cli.hpp"
#include "doorbell/common/build_info.hpp"
#include "doorbell/config/loader.hpp"
#include "doorbell/observability/logging.hpp"

int main(int argc, char** argv) {
  using namespace doorbell;
  // A client that resets its connection while an answer is written (OpenSSL writes with plain write(),
  // so do the TLS clients of the notification channels) must cost that connection, never the process.
  std::signal(SIGPIPE, SIG_IGN);
  // OpenCV checks a decoded image's size against this before allocating it: a second guard, behind the
  // header checks of uploads, for any image decoded anywhere (its default is 2^30 pixels, 3 GB).
  setenv("OPENCV_IO_MAX_IMAGE_PIXELS", "40000000", 0);  // NOLINT(concurrency-mt-unsafe): no threads yet
  Options options;
  try {
    options = parse_options({argv + 1, argv + argc});
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "doorbelld: {}\n{}", e.what(), usage());
    return kExitUsage;
  }
  if (options.action == Action::help) {
    fmt::print("{}", usage());
    return 0;
  }
  if (options.action == Action::version) {
    fmt::print("doorbelld {} ({})\n", build_version(), build_commit());
    return 0;
  }

  // Files this process creates (database, face crops, snapshots, logs) are for its user and group only.
  ::umask(027);
  const bool records_command =
      options.action == Action::faces || options.action == Action::user || options.action == Action::database;
  if (records_command) {
    const auto choice = choose_cli_config(options.config_file, process_environment());
    if (!choice.refusal.empty()) {
      fmt::print(stderr, "doorbelld: {}\n", choice.refusal);
      return kExitUsage;
    }
    if (!choice.notice.empty()) fmt::print(stderr, "doorbelld: {}\n", choice.notice);
    options.config_file = choice.file;
  }
  Config config;
  std::vector<std::string> warnings;
  try {
    config = load_config(options.config_file, process_environment(), &warnings);
  } catch (const ConfigError& e) {
    fmt::print(stderr, "doorbelld: {}\n", e.what());
    return kExitUsage;
  }
  for (const auto& warning : warnings) fmt::print(stderr, "doorbelld: warning: {}\n", warning);
  if (options.action == Action::check_config) {
    fmt::print("OK\n");
    return 0;
  }
  if (options.action == Action::print_config) {
    fmt::print("{}\n", to_masked_json(config).dump(2));
    return 0;
  }
  if (options.action == Action::faces) return run_faces_command(config, options.command);
  if (options.action == Action::user) return run_user_command(config, options.command);
  if (options.action == Action::database) return run_database_command(config, options.command);
  if (options.action == Action::healthcheck) return run_healthcheck(config.http, options.command);

  const SignalSet signals;  // before any thread starts, so every thread inherits the mask
  try {
    setup_logging(config.log);
  } catch (const std::exception& e) {
    fmt::print(stderr, "doorbelld: {}\n", e.what());
    return kExitUsage;
  }
  try {
    Daemon daemon(std::move(config), options.config_file);
    return daemon.run(signals);
  } catch (const std::exception& e) {
    spdlog::critical("cannot start: {}", e.what());
    return kExitFailure;
  }
}
