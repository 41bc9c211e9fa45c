#pragma once
// WebhookChannel: POSTs the event JSON (optionally with the snapshot inline as base64) to webhook.url,
// signed: X-Doorbell-Signature: sha256=<HMAC-SHA256 of the body with webhook.secret>, plus
// Idempotency-Key, X-Doorbell-Event and the W3C traceparent of the delivery's span. Internal to src/notify;
// used by one thread.

#include "doorbell/config/config.hpp"
#include "doorbell/notify/channel.hpp"
#include "http_target.hpp"

namespace doorbell::notify {

class WebhookChannel final : public Channel {
 public:
  WebhookChannel(const WebhookConfig& config, const Transport& transport);
  const char* name() const noexcept override { return "webhook"; }
  void send(const Notice& notice) override;

 private:
  const WebhookConfig config_;
  HttpTarget target_;
};

}  // namespace doorbell::notify
