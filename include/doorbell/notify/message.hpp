#pragma once
// The words of a notification: a title and a one-line text saying who is at the door, and the event as
// the JSON that webhooks and MQTT carry. Stateless; thread-safe.

#include <nlohmann/json.hpp>
#include <string>

#include "doorbell/notify/channel.hpp"

namespace doorbell::notify {

std::string title(const model::Event& event);  // "Doorbell: Dana", "Doorbell: BLACKLISTED Eve", ...
std::string text(const model::Event& event);   // "Dana is at the door (rang)."
// The label of the button that opens the visit's page: "Who is this?" for a stranger, "Open" otherwise.
std::string page_action(const model::Event& event);
// {event_id, event_type, time, source, kind, names, faces: [{result, name, distance}], snapshot_url,
//  page_url, idempotency_key}
nlohmann::json event_json(const Notice& notice);
// The same as text (invalid UTF-8 in names written as U+FFFD).
std::string event_json_text(const Notice& notice);

}  // namespace doorbell::notify
