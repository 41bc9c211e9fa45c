#include "http_target.hpp"

#include <fmt/format.h>

#include "doorbell/common/utf8_excerpt.hpp"
#include "doorbell/notify/channel.hpp"

namespace doorbell::notify {
namespace {

bool worth_retrying(int status) {
  return status == 408 || status == 425 || status == 429 || status >= 500;
}

}  // namespace

HttpTarget::HttpTarget(Url url, std::string label, Transport transport)
    : url_(std::move(url)), label_(std::move(label)), transport_(std::move(transport)) {}

httplib::Client HttpTarget::client() const {
  httplib::Client c(url_.origin());
  const auto timeout = std::chrono::duration_cast<std::chrono::microseconds>(transport_.timeout);
  c.enable_server_certificate_verification(true);
  if (!transport_.ca_file.empty()) c.set_ca_cert_path(transport_.ca_file);
  c.set_connection_timeout(timeout);
  c.set_read_timeout(timeout);
  c.set_write_timeout(timeout);
  return c;
}

std::string HttpTarget::check(const httplib::Result& result) const {
  if (!result) {
    throw DeliveryError(fmt::format("{}: no answer ({})", label_, httplib::to_string(result.error())), true);
  }
  if (result->status < 200 || result->status > 299) {
    const auto body = utf8_excerpt(result->body, 200);  // stored as the delivery's last error
    throw DeliveryError(fmt::format("{}: HTTP {} {}", label_, result->status, body),
                        worth_retrying(result->status));
  }
  return result->body;
}

std::string HttpTarget::post(const httplib::Headers& headers, const std::string& body,
                             const std::string& content_type) {
  return check(client().Post(url_.path, headers, body, content_type));
}

std::string HttpTarget::put(const httplib::Headers& headers, const std::string& body,
                            const std::string& content_type) {
  return check(client().Put(url_.path, headers, body, content_type));
}

std::string HttpTarget::post(const std::string& path, const httplib::MultipartFormDataItems& items) {
  return check(client().Post(path, items));
}

}  // namespace doorbell::notify
