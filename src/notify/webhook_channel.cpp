#include "webhook_channel.hpp"

#include "doorbell/common/base64.hpp"
#include "doorbell/common/build_info.hpp"
#include "doorbell/common/json_text.hpp"
#include "doorbell/notify/message.hpp"
#include "hmac.hpp"

namespace doorbell::notify {

WebhookChannel::WebhookChannel(const WebhookConfig& config, const Transport& transport)
    : config_(config), target_(*parse_url(config.url), "webhook", transport) {}

void WebhookChannel::send(const Notice& notice) {
  auto json = event_json(notice);
  if (config_.inline_image && !notice.snapshot.empty()) json["image_base64"] = base64(notice.snapshot);
  const auto body = json_text(json);
  httplib::Headers headers{{"X-Doorbell-Signature", "sha256=" + hmac_sha256_hex(config_.secret, body)},
                           {"X-Doorbell-Event", model::to_string(notice.event.kind)},
                           {"Idempotency-Key", notice.idempotency_key},
                           {"User-Agent", std::string("doorbelld/") + build_version()}};
  if (!notice.traceparent.empty()) headers.emplace("traceparent", notice.traceparent);
  target_.post(headers, body, "application/json");
}

}  // namespace doorbell::notify
