#include "telegram_channel.hpp"

#include <nlohmann/json.hpp>

#include "doorbell/common/utf8_excerpt.hpp"
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
  httplib::MultipartFormDataItems items{{"chat_id", config_.chat_id, "", ""}};
  if (notice.snapshot.empty()) {
    items.push_back({"text", caption, "", ""});
  } else {
    items.push_back({"caption", caption, "", ""});
    items.push_back(
        {"photo", std::string(notice.snapshot.begin(), notice.snapshot.end()), "snapshot.jpg", "image/jpeg"});
  }
  const auto method = method_path_ + (notice.snapshot.empty() ? "sendMessage" : "sendPhoto");
  std::string answer;
  if (notice.page_url.empty()) {
    answer = target_.post(method, items);
  } else {
    // A button that opens the visit's page. Telegram refuses some addresses for buttons (localhost,
    // BUTTON_URL_INVALID): the notification then goes without it, the link still in the caption.
    auto with_button = items;
    const nlohmann::json keyboard{
        {"inline_keyboard", {{{{"text", page_action(notice.event)}, {"url", notice.page_url}}}}}};
    with_button.push_back({"reply_markup", keyboard.dump(), "", ""});
    try {
      answer = target_.post(method, with_button);
    } catch (const DeliveryError& e) {
      if (std::string_view(e.what()).find("BUTTON_URL_INVALID") == std::string_view::npos) throw;
      for (auto& item : items) {
        if (item.name == "caption" || item.name == "text") item.content += "\n" + notice.page_url;
      }
      answer = target_.post(method, items);
    }
  }
  const auto json = nlohmann::json::parse(answer, nullptr, false);
  if (json.is_discarded() || !json.value("ok", false)) {
    throw DeliveryError("telegram: the Bot API did not answer ok: " + utf8_excerpt(answer, 200), true);
  }
}

}  // namespace doorbell::notify
