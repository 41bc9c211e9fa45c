#include "telegram_channel.hpp"

#include <nlohmann/json.hpp>

#include "doorbell/notify/message.hpp"

namespace doorbell::notify {
namespace {

std::string trimmed_path(const Url& url) {
  auto path = url.path;
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

TelegramChannel::TelegramChannel(const TelegramConfig& config, const Transport& transport)
    : config_(config),
      target_(*parse_url(config.api_url), "telegram", transport),
      method_path_(trimmed_path(target_.url()) + "/bot" + config.bot_token + "/") {}

void TelegramChannel::send(const Notice& notice) {
  auto caption = title(notice.event) + "\n" + text(notice.event);
  if (!notice.snapshot_url.empty()) caption += "\n" + notice.snapshot_url;
  std::string answer;
  if (notice.snapshot.empty()) {
    answer = target_.post(method_path_ + "sendMessage",
                          {{"chat_id", config_.chat_id, "", ""}, {"text", caption, "", ""}});
  } else {
    answer = target_.post(method_path_ + "sendPhoto",
                          {{"chat_id", config_.chat_id, "", ""},
                           {"caption", caption, "", ""},
                           {"photo", std::string(notice.snapshot.begin(), notice.snapshot.end()),
                            "snapshot.jpg", "image/jpeg"}});
  }
  const auto json = nlohmann::json::parse(answer, nullptr, false);
  if (json.is_discarded() || !json.value("ok", false)) {
    throw DeliveryError("telegram: the Bot API did not answer ok: " + answer.substr(0, 200), true);
  }
}

}  // namespace doorbell::notify
