#pragma once
// Config: the daemon's immutable settings, one struct per section of the JSON file. The member
// initialisers are the documented defaults (config/doorbelld.example.json mirrors them). A value type.

#include <cstdint>
#include <string>

namespace doorbell {

struct HttpConfig {
  std::string bind_address = "127.0.0.1";
  int port = 8080;
  int threads = 4;
  std::int64_t max_body_bytes = 10 * 1024 * 1024;
  double request_timeout_seconds = 10.0;
  std::string api_token;  // secret: never logged, masked by --print-config
  std::string api_token_file;
};

struct LogConfig {
  std::string level = "info";   // trace, debug, info, warn, error, critical, off
  std::string format = "text";  // text or json
  std::string file;             // empty: stderr
  std::int64_t file_max_bytes = 10 * 1024 * 1024;
  int file_count = 3;
};

struct DaemonConfig {
  double shutdown_timeout_seconds = 10.0;
  double heartbeat_timeout_seconds = 10.0;
};

struct Config {
  HttpConfig http;
  LogConfig log;
  DaemonConfig daemon;
};

}  // namespace doorbell
