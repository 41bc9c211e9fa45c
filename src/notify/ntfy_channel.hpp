#pragma once
// NtfyChannel: publishes to an ntfy topic URL — the snapshot as an attachment (PUT) with title, message,
// priority (blacklisted: urgent, unknown: high, else default) and tags in headers, or the text alone
// (POST) when there is no snapshot. Non-ASCII header values are RFC 2047 encoded, as ntfy accepts.
// Internal to src/notify; used by one thread.

#include "doorbell/config/config.hpp"
#include "doorbell/notify/channel.hpp"
#include "http_target.hpp"

namespace doorbell::notify {

class NtfyChannel final : public Channel {
 public:
  NtfyChannel(const NtfyConfig& config, const Transport& transport);
  const char* name() const noexcept override { return "ntfy"; }
  void send(const Notice& notice) override;

 private:
  const NtfyConfig config_;
  HttpTarget target_;
};

}  // namespace doorbell::notify
