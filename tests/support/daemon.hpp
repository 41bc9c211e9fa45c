#pragma once
// RunningDaemon: the real doorbelld binary on a free loopback port, configured by a JSON file in a
// temporary directory, for integration tests. Not thread-safe.

#include <httplib.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/free_port.hpp"
#include "support/models.hpp"
#include "support/poll.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::testing {

// Merged into a test's configuration: no face model, so the daemon starts at once. It never becomes ready
// then (the face routes answer 503): wait for /api/health.
inline const nlohmann::json kWithoutRecognition = {
    {"recognition", {{"resnet_model", "/nonexistent/model.dat"}}}};

class RunningDaemon {
 public:
  // `config` is merged (JSON merge patch) over a free port, an admin token, a temporary data directory
  // and the repository's models (scripts/models.sh). `launcher` runs the daemon (e.g. taskset -c 0).
  explicit RunningDaemon(const nlohmann::json& config = nlohmann::json::object(),
                         const std::vector<std::string>& env = {}, std::vector<std::string> launcher = {})
      : port_(free_port()) {
    const auto models = recognition_config();
    nlohmann::json full = {
        {"http", {{"port", port_}, {"api_token", kAdminToken}}},
        {"storage", {{"data_dir", data_dir().string()}}},
        {"recognition",
         {{"resnet_model", models.resnet_model}, {"landmarks_model", models.landmarks_model}}}};
    full.merge_patch(config);
    admin_token_ = full["http"].value("api_token", "");
    write_config(full);
    launcher.insert(launcher.end(), {DOORBELLD_BINARY, "--config", config_file()});
    process_ = std::make_unique<ChildProcess>(launcher, env, dir_.path() / "doorbelld.log");
  }

  int port() const { return port_; }
  std::filesystem::path data_dir() const { return dir_.path() / "data"; }
  std::string config_file() const { return (dir_.path() / "doorbelld.json").string(); }
  void write_config(const nlohmann::json& config) const { dir_.write("doorbelld.json", config.dump(2)); }
  ChildProcess& process() { return *process_; }
  const std::string& admin_token() const { return admin_token_; }
  // A client that sends the admin token (when the configuration has one).
  httplib::Client client() const {
    auto c = anonymous_client();
    if (!admin_token_.empty()) c.set_bearer_token_auth(admin_token_);
    return c;
  }
  // A client without credentials.
  httplib::Client anonymous_client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(std::chrono::seconds(2));
    c.set_read_timeout(std::chrono::seconds(30));  // a sanitizer build on a busy machine is slow
    return c;
  }

  // Polls GET `path` until it answers `status`; false after `timeout`.
  bool wait_for_status(const std::string& path, int status,
                       std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
    return eventually(
        [&] {
          const auto res = client().Get(path);
          return res && res->status == status;
        },
        timeout, std::chrono::milliseconds(50));
  }

  // Polls /metrics until it contains `text` (the daemon counts some things just after the API shows
  // them) and returns the last exposition, which a test then asserts on.
  std::string wait_for_metrics(const std::string& text,
                               std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
    std::string body;
    eventually(
        [&] {
          if (const auto res = client().Get("/metrics")) body = res->body;
          return body.find(text) != std::string::npos;
        },
        timeout, std::chrono::milliseconds(50));
    return body;
  }

  // Polls the captured output until it contains `text`.
  bool wait_for_output(const std::string& text,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
    return eventually([&] { return process_->output().find(text) != std::string::npos; }, timeout);
  }

 private:
  static constexpr const char* kAdminToken = "test-admin-token";

  TempDir dir_;
  int port_;
  std::string admin_token_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace doorbell::testing
