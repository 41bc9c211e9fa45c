#include "schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>

namespace doorbell::config_schema {
namespace {

using nlohmann::json;

enum class Flag { none, secret, reloadable };

std::string describe(const json& v) {
  std::string text = v.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return fmt::format("{} {}", v.type_name(), text);
}

std::string mismatch(const std::string& expected, const json& v) {
  return fmt::format("expected {}, got {}", expected, describe(v));
}

Field make(std::string section, std::string key, Kind kind, std::string expected, Flag flag) {
  Field f;
  f.section = std::move(section);
  f.key = std::move(key);
  f.kind = kind;
  f.expected = std::move(expected);
  f.secret = flag == Flag::secret;
  f.reloadable = flag == Flag::reloadable;
  return f;
}

template <class S, class T>
Field integer(std::string section, std::string key, S Config::*sec, T S::*member, std::int64_t lo,
              std::int64_t hi, Flag flag = Flag::none) {
  Field f = make(std::move(section), std::move(key), Kind::integer,
                 fmt::format("an integer from {} to {}", lo, hi), flag);
  f.assign = [sec, member, lo, hi, expected = f.expected](Config& c,
                                                          const json& v) -> std::optional<std::string> {
    if (!v.is_number_integer()) return mismatch(expected, v);
    const bool too_big =
        v.is_number_unsigned() &&
        v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    const auto x = too_big ? std::numeric_limits<std::int64_t>::max() : v.get<std::int64_t>();
    if (x < lo || x > hi) return mismatch(expected, v);
    (c.*sec).*member = static_cast<T>(x);
    return std::nullopt;
  };
  f.read = [sec, member](const Config& c) { return json((c.*sec).*member); };
  return f;
}

double number_of(double x) {
  return x;
}
template <class Period>
double number_of(std::chrono::duration<double, Period> d) {
  return d.count();
}

// A number, or a duration counted in the key's unit (seconds, hours…).
template <class S, class T>
Field number(std::string section, std::string key, S Config::*sec, T S::*member, double lo, double hi,
             Flag flag = Flag::none) {
  Field f = make(std::move(section), std::move(key), Kind::number,
                 fmt::format("a number from {} to {}", lo, hi), flag);
  f.assign = [sec, member, lo, hi, expected = f.expected](Config& c,
                                                          const json& v) -> std::optional<std::string> {
    if (!v.is_number()) return mismatch(expected, v);
    const auto x = v.get<double>();
    if (!std::isfinite(x) || x < lo || x > hi) return mismatch(expected, v);
    (c.*sec).*member = T(x);
    return std::nullopt;
  };
  f.read = [sec, member](const Config& c) { return json(number_of((c.*sec).*member)); };
  return f;
}

template <class S>
Field boolean(std::string section, std::string key, S Config::*sec, bool S::*member) {
  Field f = make(std::move(section), std::move(key), Kind::boolean, "true or false", Flag::none);
  f.assign = [sec, member, expected = f.expected](Config& c, const json& v) -> std::optional<std::string> {
    if (!v.is_boolean()) return mismatch(expected, v);
    (c.*sec).*member = v.get<bool>();
    return std::nullopt;
  };
  f.read = [sec, member](const Config& c) { return json((c.*sec).*member); };
  return f;
}

// allowed empty: any string (or any non-empty one when non_empty is set).
template <class S>
Field text(std::string section, std::string key, S Config::*sec, std::string S::*member,
           std::initializer_list<const char*> allowed, bool non_empty, Flag flag = Flag::none) {
  std::vector<std::string> choices(allowed.begin(), allowed.end());
  std::string expected = non_empty ? "a non-empty string" : "a string";
  if (!choices.empty()) expected = fmt::format("one of \"{}\"", fmt::join(choices, "\", \""));
  Field f = make(std::move(section), std::move(key), Kind::string, std::move(expected), flag);
  f.assign = [sec, member, choices, non_empty, secret = f.secret, expected = f.expected](
                 Config& c, const json& v) -> std::optional<std::string> {
    if (!v.is_string()) {
      if (secret)
        return fmt::format("expected {}, got {} (value not shown: a secret)", expected, v.type_name());
      return mismatch(expected, v);
    }
    const auto& s = v.get_ref<const std::string&>();
    if (non_empty && s.empty()) return mismatch(expected, v);
    if (!choices.empty() && std::find(choices.begin(), choices.end(), s) == choices.end()) {
      return mismatch(expected, v);
    }
    (c.*sec).*member = s;
    return std::nullopt;
  };
  f.read = [sec, member](const Config& c) { return json((c.*sec).*member); };
  return f;
}

std::vector<Field> build() {
  constexpr std::int64_t MiB = std::int64_t{1024} * 1024;
  return {
      text("http", "bind_address", &Config::http, &HttpConfig::bind_address, {}, true),
      integer("http", "port", &Config::http, &HttpConfig::port, 1, 65535),
      integer("http", "threads", &Config::http, &HttpConfig::threads, 1, 64),
      integer("http", "max_body_bytes", &Config::http, &HttpConfig::max_body_bytes, 1024, 1024 * MiB),
      number("http", "request_timeout_seconds", &Config::http, &HttpConfig::request_timeout_seconds, 0.1,
             300),
      text("http", "api_token", &Config::http, &HttpConfig::api_token, {}, false, Flag::secret),
      text("http", "api_token_file", &Config::http, &HttpConfig::api_token_file, {}, false),
      text("http", "viewer_token", &Config::http, &HttpConfig::viewer_token, {}, false, Flag::secret),
      text("http", "viewer_token_file", &Config::http, &HttpConfig::viewer_token_file, {}, false),
      text("http", "metrics_token", &Config::http, &HttpConfig::metrics_token, {}, false, Flag::secret),
      text("http", "metrics_token_file", &Config::http, &HttpConfig::metrics_token_file, {}, false),
      integer("http", "stream_max_clients", &Config::http, &HttpConfig::stream_max_clients, 0, 32),
      number("http", "stream_fps", &Config::http, &HttpConfig::stream_fps, 0.2, 30),
      integer("http", "max_connections", &Config::http, &HttpConfig::max_connections, 8, 4096),
      number("http", "header_timeout_seconds", &Config::http, &HttpConfig::header_timeout_seconds, 0.1, 300),
      number("http", "keep_alive_seconds", &Config::http, &HttpConfig::keep_alive_seconds, 0.1, 300),
      text("http", "tls_cert", &Config::http, &HttpConfig::tls_cert, {}, false),
      text("http", "tls_key", &Config::http, &HttpConfig::tls_key, {}, false),
      text("log", "level", &Config::log, &LogConfig::level,
           {"trace", "debug", "info", "warn", "error", "critical", "off"}, true, Flag::reloadable),
      text("log", "format", &Config::log, &LogConfig::format, {"text", "json"}, true, Flag::reloadable),
      text("log", "file", &Config::log, &LogConfig::file, {}, false),
      integer("log", "file_max_bytes", &Config::log, &LogConfig::file_max_bytes, std::int64_t{64} * 1024,
              1024 * MiB),
      integer("log", "file_count", &Config::log, &LogConfig::file_count, 1, 100),
      number("daemon", "shutdown_timeout_seconds", &Config::daemon, &DaemonConfig::shutdown_timeout_seconds,
             0.5, 600),
      number("daemon", "heartbeat_timeout_seconds", &Config::daemon, &DaemonConfig::heartbeat_timeout_seconds,
             1, 3600),
      text("door", "id", &Config::door, &DoorConfig::id, {}, false),
      text("door", "name", &Config::door, &DoorConfig::name, {}, true),
      text("storage", "data_dir", &Config::storage, &StorageConfig::data_dir, {}, true),
      text("storage", "backend", &Config::storage, &StorageConfig::backend, {"sqlite", "postgres"}, true),
      text("storage", "postgres", &Config::storage, &StorageConfig::postgres, {}, false, Flag::secret),
      text("storage", "postgres_file", &Config::storage, &StorageConfig::postgres_file, {}, false),
      number("storage", "retention_days", &Config::storage, &StorageConfig::retention_days, 0, 36500),
      number("storage", "max_snapshot_megabytes", &Config::storage, &StorageConfig::max_snapshot_megabytes, 0,
             10'000'000),
      number("storage", "prune_interval_seconds", &Config::storage, &StorageConfig::prune_interval_seconds, 1,
             86400),
      number("storage", "min_free_megabytes", &Config::storage, &StorageConfig::min_free_megabytes, 0,
             1'000'000),
      number("storage", "check_interval_seconds", &Config::storage, &StorageConfig::check_interval_seconds,
             0.1, 3600),
      integer("storage", "spool_events", &Config::storage, &StorageConfig::spool_events, 1, 100000),
      text("storage", "backup_dir", &Config::storage, &StorageConfig::backup_dir, {}, false),
      number("storage", "backup_interval_hours", &Config::storage, &StorageConfig::backup_interval_hours, 0,
             8760),
      integer("storage", "backup_keep", &Config::storage, &StorageConfig::backup_keep, 1, 1000),
      text("recognition", "resnet_model", &Config::recognition, &RecognitionConfig::resnet_model, {}, true),
      text("recognition", "landmarks_model", &Config::recognition, &RecognitionConfig::landmarks_model, {},
           true),
      integer("recognition", "upsample", &Config::recognition, &RecognitionConfig::upsample, 0, 2),
      integer("recognition", "min_face_px", &Config::recognition, &RecognitionConfig::min_face_px, 20, 4000),
      number("recognition", "min_sharpness", &Config::recognition, &RecognitionConfig::min_sharpness, 0,
             10000),
      number("recognition", "max_yaw", &Config::recognition, &RecognitionConfig::max_yaw, 0, 1),
      number("recognition", "match_threshold", &Config::recognition, &RecognitionConfig::match_threshold, 0.1,
             1.5),
      number("recognition", "match_margin", &Config::recognition, &RecognitionConfig::match_margin, 0, 1),
      number("recognition", "roi_x", &Config::recognition, &RecognitionConfig::roi_x, 0, 0.99),
      number("recognition", "roi_y", &Config::recognition, &RecognitionConfig::roi_y, 0, 0.99),
      number("recognition", "roi_width", &Config::recognition, &RecognitionConfig::roi_width, 0.01, 1),
      number("recognition", "roi_height", &Config::recognition, &RecognitionConfig::roi_height, 0.01, 1),
      number("visitors", "threshold", &Config::visitors, &VisitorsConfig::threshold, 0.1, 1.5),
      number("visitors", "keep_days", &Config::visitors, &VisitorsConfig::keep_days, 0.01, 36500),
      text("camera", "source", &Config::camera, &CameraConfig::source, {}, false),
      number("camera", "fps", &Config::camera, &CameraConfig::fps, 0.2, 60),
      integer("camera", "width", &Config::camera, &CameraConfig::width, 16, 7680),
      integer("camera", "height", &Config::camera, &CameraConfig::height, 16, 4320),
      text("camera", "rtsp_transport", &Config::camera, &CameraConfig::rtsp_transport, {"tcp", "udp"}, true),
      integer("camera", "rotation", &Config::camera, &CameraConfig::rotation, 0, 270),
      boolean("camera", "hflip", &Config::camera, &CameraConfig::hflip),
      boolean("camera", "loop", &Config::camera, &CameraConfig::loop),
      number("camera", "preroll_seconds", &Config::camera, &CameraConfig::preroll_seconds, 0, 30),
      number("camera", "reconnect_max_seconds", &Config::camera, &CameraConfig::reconnect_max_seconds, 1,
             600),
      text("gpio", "chip", &Config::gpio, &GpioConfig::chip, {}, false),
      integer("gpio", "line", &Config::gpio, &GpioConfig::line, 0, 1023),
      boolean("gpio", "active_low", &Config::gpio, &GpioConfig::active_low),
      text("gpio", "bias", &Config::gpio, &GpioConfig::bias, {"pull-up", "pull-down", "disable", "as-is"},
           true),
      number("gpio", "debounce_ms", &Config::gpio, &GpioConfig::debounce_ms, 1, 1000),
      number("gpio", "long_press_seconds", &Config::gpio, &GpioConfig::long_press_seconds, 0.2, 60),
      integer("pipeline", "workers", &Config::pipeline, &PipelineConfig::workers, 0, 16),
      integer("pipeline", "queue_capacity", &Config::pipeline, &PipelineConfig::queue_capacity, 1, 10000),
      number("pipeline", "hold_off_seconds", &Config::pipeline, &PipelineConfig::hold_off_seconds, 0, 600),
      number("pipeline", "assess_fps", &Config::pipeline, &PipelineConfig::assess_fps, 0.1, 60),
      number("pipeline", "assess_cpu_share", &Config::pipeline, &PipelineConfig::assess_cpu_share, 0.05, 1),
      integer("pipeline", "preroll_frames", &Config::pipeline, &PipelineConfig::preroll_frames, 0, 100),
      integer("pipeline", "frames_after_ring", &Config::pipeline, &PipelineConfig::frames_after_ring, 0, 100),
      number("pipeline", "frame_wait_seconds", &Config::pipeline, &PipelineConfig::frame_wait_seconds, 0, 60),
      integer("pipeline", "recognise_frames", &Config::pipeline, &PipelineConfig::recognise_frames, 1, 100),
      text("notify", "public_url", &Config::notify, &NotifyConfig::public_url, {}, false),
      number("notify", "cooldown_seconds", &Config::notify, &NotifyConfig::cooldown_seconds, 0, 86400),
      text("notify", "quiet_hours", &Config::notify, &NotifyConfig::quiet_hours, {}, false),
      number("notify", "retry_initial_seconds", &Config::notify, &NotifyConfig::retry_initial_seconds, 0.1,
             3600),
      number("notify", "retry_max_seconds", &Config::notify, &NotifyConfig::retry_max_seconds, 0.1, 86400),
      number("notify", "give_up_hours", &Config::notify, &NotifyConfig::give_up_hours, 0.01, 720),
      number("notify", "timeout_seconds", &Config::notify, &NotifyConfig::timeout_seconds, 0.5, 120),
      text("notify", "ca_file", &Config::notify, &NotifyConfig::ca_file, {}, false),
      text("webhook", "url", &Config::webhook, &WebhookConfig::url, {}, false),
      text("webhook", "secret", &Config::webhook, &WebhookConfig::secret, {}, false, Flag::secret),
      text("webhook", "kinds", &Config::webhook, &WebhookConfig::kinds, {}, false),
      boolean("webhook", "inline_image", &Config::webhook, &WebhookConfig::inline_image),
      text("ntfy", "url", &Config::ntfy, &NtfyConfig::url, {}, false),
      text("ntfy", "token", &Config::ntfy, &NtfyConfig::token, {}, false, Flag::secret),
      text("ntfy", "kinds", &Config::ntfy, &NtfyConfig::kinds, {}, false),
      text("telegram", "api_url", &Config::telegram, &TelegramConfig::api_url, {}, true),
      text("telegram", "bot_token", &Config::telegram, &TelegramConfig::bot_token, {}, false, Flag::secret),
      text("telegram", "chat_id", &Config::telegram, &TelegramConfig::chat_id, {}, false),
      text("telegram", "kinds", &Config::telegram, &TelegramConfig::kinds, {}, false),
      text("mqtt", "host", &Config::mqtt, &MqttConfig::host, {}, false),
      integer("mqtt", "port", &Config::mqtt, &MqttConfig::port, 1, 65535),
      text("mqtt", "username", &Config::mqtt, &MqttConfig::username, {}, false),
      text("mqtt", "password", &Config::mqtt, &MqttConfig::password, {}, false, Flag::secret),
      boolean("mqtt", "tls", &Config::mqtt, &MqttConfig::tls),
      text("mqtt", "tls_ca_file", &Config::mqtt, &MqttConfig::tls_ca_file, {}, false),
      text("mqtt", "topic_prefix", &Config::mqtt, &MqttConfig::topic_prefix, {}, true),
      text("mqtt", "discovery_prefix", &Config::mqtt, &MqttConfig::discovery_prefix, {}, false),
      text("mqtt", "node_id", &Config::mqtt, &MqttConfig::node_id, {}, true),
      text("mqtt", "kinds", &Config::mqtt, &MqttConfig::kinds, {}, false),
      boolean("tracing", "enabled", &Config::tracing, &TracingConfig::enabled),
      text("tracing", "endpoint", &Config::tracing, &TracingConfig::endpoint, {}, true),
      text("tracing", "sampler", &Config::tracing, &TracingConfig::sampler,
           {"always_on", "always_off", "ratio"}, true),
      number("tracing", "ratio", &Config::tracing, &TracingConfig::ratio, 0, 1),
      boolean("tracing", "gzip", &Config::tracing, &TracingConfig::gzip),
      number("tracing", "timeout_seconds", &Config::tracing, &TracingConfig::timeout_seconds, 0.1, 60),
      integer("tracing", "queue_capacity", &Config::tracing, &TracingConfig::queue_capacity, 1, 1000000),
      integer("tracing", "batch_size", &Config::tracing, &TracingConfig::batch_size, 1, 10000),
      number("tracing", "flush_interval_seconds", &Config::tracing, &TracingConfig::flush_interval_seconds,
             0.05, 60),
      text("tracing", "resource_attributes", &Config::tracing, &TracingConfig::resource_attributes, {},
           false),
      boolean("motion", "enabled", &Config::motion, &MotionConfig::enabled),
      number("motion", "threshold", &Config::motion, &MotionConfig::threshold, 1, 255),
      number("motion", "min_area", &Config::motion, &MotionConfig::min_area, 0.0001, 0.5),
      number("motion", "hold_seconds", &Config::motion, &MotionConfig::hold_seconds, 0.5, 600),
      boolean("presence", "enabled", &Config::presence, &PresenceConfig::enabled),
      number("presence", "check_fps", &Config::presence, &PresenceConfig::check_fps, 0.2, 10),
      number("presence", "dwell_seconds", &Config::presence, &PresenceConfig::dwell_seconds, 0.5, 600),
      number("presence", "gap_seconds", &Config::presence, &PresenceConfig::gap_seconds, 0, 60),
      number("presence", "cooldown_seconds", &Config::presence, &PresenceConfig::cooldown_seconds, 0, 86400),
      number("auth", "session_hours", &Config::auth, &AuthConfig::session_hours, 0.001, 8760),
      integer("auth", "max_failures", &Config::auth, &AuthConfig::max_failures, 1, 1000),
      number("auth", "failure_window_seconds", &Config::auth, &AuthConfig::failure_window_seconds, 1, 86400),
      number("auth", "lockout_seconds", &Config::auth, &AuthConfig::lockout_seconds, 0.1, 3600),
      number("audit", "keep_days", &Config::audit, &AuditConfig::keep_days, 0, 36500),
  };
}

}  // namespace

std::string Field::env_name() const {
  std::string name = "DOORBELL_" + section + "_" + key;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return name;
}

const std::vector<Field>& fields() {
  static const std::vector<Field> table = build();
  return table;
}

const Field* find(const std::string& section, const std::string& key) {
  const auto& table = fields();
  const auto it = std::find_if(table.begin(), table.end(),
                               [&](const Field& f) { return f.section == section && f.key == key; });
  return it == table.end() ? nullptr : &*it;
}

bool has_section(const std::string& section) {
  const auto& table = fields();
  return std::any_of(table.begin(), table.end(), [&](const Field& f) { return f.section == section; });
}

}  // namespace doorbell::config_schema
