#include "doorbell/auth/password.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <charconv>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include "doorbell/common/hex.hpp"

namespace doorbell::auth {
namespace {

struct Params {
  int log2_n = 15;
  int r = 8;
  int p = 1;
};
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr std::uint64_t kMaxMemory = std::uint64_t{64} * 1024 * 1024;

std::vector<std::uint8_t> scrypt(std::string_view password, std::span<const std::uint8_t> salt,
                                 const Params& params) {
  std::vector<std::uint8_t> out(kHashBytes);
  if (EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(),
                     std::uint64_t{1} << params.log2_n, static_cast<std::uint64_t>(params.r),
                     static_cast<std::uint64_t>(params.p), kMaxMemory, out.data(), out.size()) != 1) {
    throw std::runtime_error("scrypt failed (out of memory?)");
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::vector<std::uint8_t> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto [end, ec] = std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, out[i], 16);
    if (ec != std::errc() || end != hex.data() + 2 * i + 2) return std::nullopt;
  }
  return out;
}

bool parse_int(std::string_view text, std::string_view key, int lo, int hi, int& value) {
  if (!text.starts_with(key)) return false;
  text.remove_prefix(key.size());
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && value >= lo && value <= hi;
}

// "$scrypt$ln=15,r=8,p=1$salt$hash" → its parts; false when malformed or outside sane bounds.
bool parse_stored(std::string_view stored, Params& params, std::vector<std::uint8_t>& salt,
                  std::vector<std::uint8_t>& hash) {
  std::array<std::string_view, 5> parts;
  std::size_t count = 0;
  for (std::size_t start = 0; count < parts.size();) {
    const auto end = stored.find('$', start);
    parts[count++] = stored.substr(start, end == std::string_view::npos ? end : end - start);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (count != 5 || !parts[0].empty() || parts[1] != "scrypt") return false;
  const auto comma1 = parts[2].find(',');
  const auto comma2 = parts[2].find(',', comma1 == std::string_view::npos ? comma1 : comma1 + 1);
  if (comma2 == std::string_view::npos) return false;
  if (!parse_int(parts[2].substr(0, comma1), "ln=", 10, 20, params.log2_n) ||
      !parse_int(parts[2].substr(comma1 + 1, comma2 - comma1 - 1), "r=", 1, 16, params.r) ||
      !parse_int(parts[2].substr(comma2 + 1), "p=", 1, 4, params.p)) {
    return false;
  }
  auto s = from_hex(parts[3]);
  auto h = from_hex(parts[4]);
  if (!s || !h || s->size() < 8 || h->size() != kHashBytes) return false;
  salt = std::move(*s);
  hash = std::move(*h);
  return true;
}

}  // namespace

std::string hash_password(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    throw std::invalid_argument(fmt::format("a password needs at least {} characters", kMinPasswordLength));
  }
  if (password.size() > kMaxPasswordLength) {
    throw std::invalid_argument(fmt::format("a password has at most {} characters", kMaxPasswordLength));
  }
  std::array<std::uint8_t, kSaltBytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
    throw std::runtime_error("no random bytes from OpenSSL");
  const Params params;
  const auto hash = scrypt(password, salt, params);
  return fmt::format("$scrypt$ln={},r={},p={}${}${}", params.log2_n, params.r, params.p, to_hex(salt),
                     to_hex(hash));
}

bool verify_password(std::string_view password, std::string_view stored) {
  Params params;
  std::vector<std::uint8_t> salt;
  std::vector<std::uint8_t> expected;
  if (!parse_stored(stored, params, salt, expected)) {
    // Same cost as a real check, so a missing user cannot be told apart by timing.
    const std::array<std::uint8_t, kSaltBytes> dummy{};
    scrypt(password.substr(0, kMaxPasswordLength), dummy, Params{});
    return false;
  }
  if (password.size() > kMaxPasswordLength) password = password.substr(0, kMaxPasswordLength + 1);
  const auto actual = scrypt(password, salt, params);
  return CRYPTO_memcmp(actual.data(), expected.data(), kHashBytes) == 0 &&
         password.size() <= kMaxPasswordLength;
}

std::string random_token(std::size_t bytes) {
  std::vector<std::uint8_t> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1)
    throw std::runtime_error("no random bytes from OpenSSL");
  return to_hex(buffer);
}

std::string sha256_hex(std::string_view text) {
  std::array<std::uint8_t, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  return to_hex(digest);
}

bool same_secret(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace doorbell::auth
