#pragma once
// Channel: one way of telling the owner about an event (webhook, ntfy, Telegram, MQTT). send() either
// delivers or throws DeliveryError, saying whether trying again could help. Each channel is used by its
// own dispatcher thread only, so implementations need not be thread-safe unless they say so.

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

#include "doorbell/model/event.hpp"

namespace doorbell::notify {

// What a channel sends: the event, its snapshot (empty when there is none) and where to fetch it.
struct Notice {
  const model::Event& event;
  std::span<const std::uint8_t> snapshot;
  std::string snapshot_url;     // empty without notify.public_url or snapshot
  std::string page_url;         // the visit's page in the web app; empty without notify.public_url
  std::string idempotency_key;  // the same on every attempt of one delivery
  std::string traceparent;      // W3C trace context of this attempt's span, for receivers that trace
};

class DeliveryError : public std::runtime_error {
 public:
  DeliveryError(const std::string& what, bool retryable) : std::runtime_error(what), retryable_(retryable) {}
  bool retryable() const noexcept { return retryable_; }

 private:
  bool retryable_;
};

class Channel {
 public:
  virtual ~Channel() = default;
  virtual const char* name() const noexcept = 0;  // webhook, ntfy, telegram, mqtt
  virtual void send(const Notice& notice) = 0;
};

}  // namespace doorbell::notify
