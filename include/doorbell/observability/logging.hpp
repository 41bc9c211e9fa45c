#pragma once
// Process-wide logging on spdlog: stderr (journald and Docker friendly) or a rotating file, text or
// JSON lines. Not thread-safe to call concurrently with itself; logging from any thread is safe.

#include <spdlog/formatter.h>

#include <memory>
#include <string_view>

#include "doorbell/config/config.hpp"

namespace doorbell {

// Installs the default logger. Throws std::runtime_error naming log.file when it cannot be opened.
void setup_logging(const LogConfig& config);
// Applies the reloadable settings (log.level, log.format) to the installed logger.
void apply_log_settings(const LogConfig& config);
// "text" or "json" (one JSON object per line: time, level, logger, thread, message).
std::unique_ptr<spdlog::formatter> make_log_formatter(std::string_view format);

}  // namespace doorbell
