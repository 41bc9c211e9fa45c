#include "doorbell/observability/logging.hpp"

#include <fmt/chrono.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "doorbell/observability/span_context.hpp"

namespace doorbell {
namespace {

void append_json_string(spdlog::memory_buf_t& out, std::string_view text) {
  out.push_back('"');
  for (const char ch : text) {
    switch (ch) {
      case '"':
        out.append(std::string_view("\\\""));
        break;
      case '\\':
        out.append(std::string_view("\\\\"));
        break;
      case '\n':
        out.append(std::string_view("\\n"));
        break;
      case '\r':
        out.append(std::string_view("\\r"));
        break;
      case '\t':
        out.append(std::string_view("\\t"));
        break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(ch));
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

// One JSON object per line; UTC timestamps with microseconds; trace_id and span_id inside a span.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(msg.time.time_since_epoch()).count() % 1000000;
    fmt::format_to(std::back_inserter(dest), "{{\"time\":\"{:%Y-%m-%dT%H:%M:%S}.{:06d}Z\",\"level\":",
                   fmt::gmtime(std::chrono::system_clock::to_time_t(msg.time)), micros);
    const auto level = spdlog::level::to_string_view(msg.level);
    append_json_string(dest, std::string_view(level.data(), level.size()));
    dest.append(std::string_view(",\"logger\":"));
    append_json_string(dest, std::string_view(msg.logger_name.data(), msg.logger_name.size()));
    fmt::format_to(std::back_inserter(dest), ",\"thread\":{},\"message\":", msg.thread_id);
    append_json_string(dest, std::string_view(msg.payload.data(), msg.payload.size()));
    // Lines written inside a span say which (loggers are synchronous: this is the logging thread).
    if (const auto& span = current_span_context(); span && span->valid()) {
      fmt::format_to(std::back_inserter(dest), ",\"trace_id\":\"{}\",\"span_id\":\"{}\"",
                     span->trace_id_hex(), span->span_id_hex());
    }
    dest.append(std::string_view("}\n"));
  }

  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

}  // namespace

std::unique_ptr<spdlog::formatter> make_log_formatter(std::string_view format) {
  if (format == "json") return std::make_unique<JsonFormatter>();
  return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%f%z %^%-5l%$ [%t] %v");
}

void setup_logging(const LogConfig& config) {
  spdlog::sink_ptr sink;
  if (config.file.empty()) {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  } else {
    try {
      sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          config.file, static_cast<std::size_t>(config.file_max_bytes),
          static_cast<std::size_t>(config.file_count));
    } catch (const spdlog::spdlog_ex& e) {
      throw std::runtime_error("log.file: cannot open \"" + config.file + "\": " + e.what());
    }
  }
  auto logger = std::make_shared<spdlog::logger>("doorbelld", std::move(sink));
  logger->flush_on(spdlog::level::trace);  // low volume: nothing is lost on a crash or kill -9
  spdlog::set_default_logger(std::move(logger));
  apply_log_settings(config);
}

void apply_log_settings(const LogConfig& config) {
  auto logger = spdlog::default_logger();
  logger->set_level(spdlog::level::from_str(config.level));
  logger->set_formatter(make_log_formatter(config.format));
}

}  // namespace doorbell
