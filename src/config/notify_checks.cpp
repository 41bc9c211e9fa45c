#include "notify_checks.hpp"

#include <fmt/format.h>

#include <fstream>

#include "doorbell/common/url.hpp"
#include "doorbell/config/notify_settings.hpp"
#include "doorbell/model/event_kind.hpp"

namespace doorbell {
namespace {

void check_url(const char* key, const std::string& value, std::vector<std::string>& problems) {
  if (!value.empty() && !parse_url(value)) {
    problems.push_back(
        fmt::format("{}: expected an http:// or https:// URL with a host, got \"{}\"", key, value));
  }
}

void check_kinds(const char* key, const std::string& value, std::vector<std::string>& problems) {
  if (!parse_kinds(value)) {
    problems.push_back(fmt::format("{}: expected a comma-separated list of {}, got \"{}\"", key,
                                   model::event_kinds_text(), value));
  }
}

void check_readable(const char* key, const std::string& path, std::vector<std::string>& problems) {
  if (!path.empty() && !std::ifstream(path)) {
    problems.push_back(fmt::format("{}: cannot read \"{}\" (a PEM file of CA certificates)", key, path));
  }
}

void require(bool needed, const char* key, const std::string& value, const char* why,
             std::vector<std::string>& problems) {
  if (needed && value.empty()) problems.push_back(fmt::format("{}: required {}", key, why));
}

}  // namespace

void check_notifications(const Config& c, std::vector<std::string>& problems) {
  check_url("notify.public_url", c.notify.public_url, problems);
  check_url("webhook.url", c.webhook.url, problems);
  check_url("ntfy.url", c.ntfy.url, problems);
  check_url("telegram.api_url", c.telegram.api_url, problems);
  check_url("tracing.endpoint", c.tracing.endpoint, problems);
  check_readable("notify.ca_file", c.notify.ca_file, problems);
  check_readable("mqtt.tls_ca_file", c.mqtt.tls_ca_file, problems);
  if (!c.mqtt.tls_ca_file.empty() && !c.mqtt.tls) {
    problems.push_back("mqtt.tls_ca_file: set mqtt.tls to true as well (it verifies a TLS connection)");
  }
  check_kinds("webhook.kinds", c.webhook.kinds, problems);
  check_kinds("ntfy.kinds", c.ntfy.kinds, problems);
  check_kinds("telegram.kinds", c.telegram.kinds, problems);
  check_kinds("mqtt.kinds", c.mqtt.kinds, problems);
  if (!c.notify.quiet_hours.empty() && !parse_quiet_hours(c.notify.quiet_hours)) {
    problems.push_back(fmt::format(
        "notify.quiet_hours: expected local \"HH:MM-HH:MM\" with different start and end, got \"{}\"",
        c.notify.quiet_hours));
  }
  if (c.notify.retry_max_seconds < c.notify.retry_initial_seconds) {
    problems.push_back(
        fmt::format("notify.retry_max_seconds must be at least notify.retry_initial_seconds, got {} and {}",
                    c.notify.retry_max_seconds.count(), c.notify.retry_initial_seconds.count()));
  }
  require(!c.webhook.url.empty(), "webhook.secret", c.webhook.secret,
          "when webhook.url is set (bodies are signed with it; set DOORBELL_WEBHOOK_SECRET)", problems);
  require(!c.telegram.chat_id.empty(), "telegram.bot_token", c.telegram.bot_token,
          "when telegram.chat_id is set (set DOORBELL_TELEGRAM_BOT_TOKEN)", problems);
  require(!c.telegram.bot_token.empty(), "telegram.chat_id", c.telegram.chat_id,
          "when telegram.bot_token is set", problems);
  for (const auto* topic : {&c.mqtt.topic_prefix, &c.mqtt.discovery_prefix, &c.mqtt.node_id}) {
    if (topic->find_first_of("+#") != std::string::npos) {
      const char* key = topic == &c.mqtt.topic_prefix       ? "mqtt.topic_prefix"
                        : topic == &c.mqtt.discovery_prefix ? "mqtt.discovery_prefix"
                                                            : "mqtt.node_id";
      problems.push_back(
          fmt::format("{}: MQTT wildcards + and # are not allowed in a topic, got \"{}\"", key, *topic));
    }
  }
}

}  // namespace doorbell
