#pragma once
// Password hashing with scrypt (OpenSSL's EVP_PBE_scrypt, N = 2^15, r = 8, p = 1: 32 MiB and tens of
// milliseconds per hash) in the PHC string format "$scrypt$ln=15,r=8,p=1$<salt hex>$<hash hex>", and
// secure random tokens. Stateless; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace doorbell::auth {

inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr std::size_t kMaxPasswordLength = 1024;

// A fresh salt and the hash of `password`. Throws std::invalid_argument when the password is shorter
// than kMinPasswordLength or longer than kMaxPasswordLength characters (bytes).
std::string hash_password(std::string_view password);

// Whether `password` matches `stored` (a hash_password result); false for a malformed or unsupported
// stored string. Takes as long as a hash whatever the outcome.
bool verify_password(std::string_view password, std::string_view stored);

// `bytes` bytes from OpenSSL's CSPRNG as lowercase hex (session ids, CSRF tokens).
std::string random_token(std::size_t bytes = 32);

// SHA-256 of `text` as lowercase hex: how session ids are stored.
std::string sha256_hex(std::string_view text);

// Compares in time independent of where the strings differ (but not of their lengths).
bool same_secret(std::string_view a, std::string_view b) noexcept;

}  // namespace doorbell::auth
