#include "ntfy_channel.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "doorbell/common/base64.hpp"
#include "doorbell/notify/message.hpp"

namespace doorbell::notify {
namespace {

std::string header_value(const std::string& text) {
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  return ascii ? text : "=?UTF-8?B?" + base64(text) + "?=";
}

const char* priority(model::EventKind kind) {
  return kind == model::EventKind::blacklisted ? "urgent"
         : kind == model::EventKind::unknown   ? "high"
                                               : "default";
}

const char* tags(model::EventKind kind) {
  return kind == model::EventKind::blacklisted ? "rotating_light"
         : kind == model::EventKind::unknown   ? "bust_in_silhouette"
                                               : "bell";
}

}  // namespace

NtfyChannel::NtfyChannel(const NtfyConfig& config, const Transport& transport)
    : config_(config), target_(*parse_url(config.url), "ntfy", transport) {}

void NtfyChannel::send(const Notice& notice) {
  const auto& e = notice.event;
  httplib::Headers headers{{"Title", header_value(title(e))},
                           {"Priority", priority(e.kind)},
                           {"Tags", tags(e.kind)},
                           {"X-Idempotency-Key", notice.idempotency_key}};
  if (!config_.token.empty()) headers.emplace("Authorization", "Bearer " + config_.token);
  // A tap opens the visit's page (or, without the app's address, the snapshot); a button says so.
  const auto& click = notice.page_url.empty() ? notice.snapshot_url : notice.page_url;
  if (!click.empty()) headers.emplace("Click", click);
  if (!notice.page_url.empty()) {
    headers.emplace("Actions", fmt::format("view, {}, {}", page_action(e), notice.page_url));
  }
  if (notice.snapshot.empty()) {
    target_.post(headers, text(e), "text/plain; charset=utf-8");
    return;
  }
  headers.emplace("Message", header_value(text(e)));
  headers.emplace("Filename", "snapshot.jpg");
  target_.put(headers, std::string(notice.snapshot.begin(), notice.snapshot.end()), "image/jpeg");
}

}  // namespace doorbell::notify
