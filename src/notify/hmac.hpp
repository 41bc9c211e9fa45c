#pragma once
// HMAC-SHA256 (OpenSSL) as lowercase hex, for signing webhook bodies. Stateless; thread-safe.
// Internal to src/notify.

#include <string>
#include <string_view>

namespace doorbell::notify {

std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace doorbell::notify
