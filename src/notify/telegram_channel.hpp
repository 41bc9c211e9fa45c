#pragma once
// TelegramChannel: the Bot API — sendPhoto (multipart: chat_id, caption, photo) with the snapshot, or
// sendMessage without one, with a button to the visit's page when notify.public_url is set, at
// telegram.api_url (configurable, so a local stand-in can be used).
// Internal to src/notify; used by one thread.

#include "doorbell/config/config.hpp"
#include "doorbell/notify/channel.hpp"
#include "http_target.hpp"

namespace doorbell::notify {

class TelegramChannel final : public Channel {
 public:
  TelegramChannel(const TelegramConfig& config, const Transport& transport);
  const char* name() const noexcept override { return "telegram"; }
  void send(const Notice& notice) override;

 private:
  const TelegramConfig config_;
  HttpTarget target_;
  std::string method_path_;  // <api path>/bot<token>/ — a secret, never logged
};

}  // namespace doorbell::notify
