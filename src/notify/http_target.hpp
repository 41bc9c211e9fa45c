#pragma once
// HttpTarget: sends one HTTP request for a channel and turns the answer into the outbox's terms — 2xx
// is delivered; no answer, 408, 425, 429 and 5xx are worth retrying; any other status is not. Error
// messages name `label`, never the URL (Telegram's carries the bot token). Internal to src/notify.
// Used by one thread.

#include <httplib.h>

#include <string>

#include "doorbell/common/url.hpp"
#include "doorbell/config/config.hpp"

namespace doorbell::notify {

// How a channel's requests are sent: notify.timeout_seconds per attempt; HTTPS verified against
// notify.ca_file when set, else the system's CA certificates.
struct Transport {
  Seconds timeout{5};
  std::string ca_file;
};

class HttpTarget {
 public:
  HttpTarget(Url url, std::string label, Transport transport);

  // Throws DeliveryError unless the answer is 2xx; returns the body otherwise.
  std::string post(const httplib::Headers& headers, const std::string& body, const std::string& content_type);
  std::string put(const httplib::Headers& headers, const std::string& body, const std::string& content_type);
  std::string post(const std::string& path, const httplib::MultipartFormDataItems& items);

  const Url& url() const noexcept { return url_; }

 private:
  httplib::Client client() const;
  std::string check(const httplib::Result& result) const;

  const Url url_;
  const std::string label_;
  const Transport transport_;
};

}  // namespace doorbell::notify
