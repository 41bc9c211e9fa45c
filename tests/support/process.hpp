#pragma once
// ChildProcess: a program started with posix_spawn for integration tests, its stdout and stderr
// captured in a file; terminated (SIGKILL) on destruction if still running. Not thread-safe.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace doorbell::testing {

class ChildProcess {
 public:
  // `env` is added to this process's environment, from which DOORBELL_* variables are removed.
  ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
               std::filesystem::path output_file,
               const std::optional<std::filesystem::path>& stdin_file = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) const;
  // Exit code (128 + N when killed by signal N) if the process ended within `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  std::string output() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path output_file_;
};

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

// Runs a command to completion (at most `timeout`, then it is killed and reported as exit code -1).
CommandResult run_command(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
                          const std::optional<std::filesystem::path>& stdin_file = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace doorbell::testing
