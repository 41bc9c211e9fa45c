#include "doorbell/auth/throttle.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace doorbell::auth {
namespace {

constexpr std::size_t kMaxTracked = 4096;
constexpr double kMaxLockoutSeconds = 3600;

Clock::time_point::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::time_point::duration>(std::chrono::duration<double>(s));
}

}  // namespace

AuthThrottle::AuthThrottle(const AuthConfig& config, const Clock& clock, prometheus::Registry& registry)
    : config_(config),
      clock_(clock),
      failures_(prometheus::BuildCounter()
                    .Name("doorbell_auth_failures_total")
                    .Help("Failed authentications, by what was wrong: a bearer token or a login password")
                    .Register(registry)),
      refused_(prometheus::BuildCounter()
                   .Name("doorbell_auth_throttled_total")
                   .Help("Requests refused with 429 because their address failed to authenticate too often")
                   .Register(registry)
                   .Add({})),
      lockouts_(prometheus::BuildCounter()
                    .Name("doorbell_auth_lockouts_total")
                    .Help("Times an address was locked out after too many failed authentications")
                    .Register(registry)
                    .Add({})) {
  for (const char* reason : {"token", "password"}) failures_.Add({{"reason", reason}});
}

std::string AuthThrottle::key_of(std::string_view address) {
  std::string text(address);
  std::array<unsigned char, 16> v6{};
  if (inet_pton(AF_INET6, text.c_str(), v6.data()) != 1) return text;
  const bool v4_mapped = std::all_of(v6.begin(), v6.begin() + 10, [](unsigned char b) { return b == 0; }) &&
                         v6[10] == 0xff && v6[11] == 0xff;
  if (v4_mapped) return fmt::format("{}.{}.{}.{}", v6[12], v6[13], v6[14], v6[15]);
  return fmt::format("{:02x}{:02x}:{:02x}{:02x}:{:02x}{:02x}:{:02x}{:02x}::/64", v6[0], v6[1], v6[2], v6[3],
                     v6[4], v6[5], v6[6], v6[7]);
}

int AuthThrottle::refuse_for(std::string_view address) {
  const auto now = clock_.now();
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(key_of(address));
  if (it == entries_.end() || it->second.locked_until <= now) return 0;
  refused_.Increment();
  return static_cast<int>(std::ceil(std::chrono::duration<double>(it->second.locked_until - now).count()));
}

int AuthThrottle::fail(std::string_view address, std::string_view reason) {
  failures_.Add({{"reason", std::string(reason)}}).Increment();
  const auto now = clock_.now();
  std::lock_guard lock(mutex_);
  const auto key = key_of(address);
  if (entries_.size() >= kMaxTracked && !entries_.contains(key)) forget_oldest();
  auto& e = entries_[key];
  if (e.failures == 0 || now - e.window_start > seconds(config_.failure_window_seconds)) {
    e.failures = 0;
    e.window_start = now;
  }
  e.last_seen = now;
  ++e.failures;
  if (e.failures < config_.max_failures) return 0;
  const double lockout =
      std::min(kMaxLockoutSeconds,
               config_.lockout_seconds * std::pow(2.0, std::min(e.failures - config_.max_failures, 20)));
  e.locked_until = now + seconds(lockout);
  e.window_start = now;  // failures keep counting while locked out and after
  lockouts_.Increment();
  return static_cast<int>(std::ceil(lockout));
}

void AuthThrottle::forget_oldest() {
  const auto now = clock_.now();
  auto victim = entries_.end();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    const bool locked = it->second.locked_until > now;
    if (victim == entries_.end()) {
      victim = it;
      continue;
    }
    const bool victim_locked = victim->second.locked_until > now;
    // Prefer forgetting an address that is not locked out, then the one seen longest ago.
    if ((victim_locked && !locked) ||
        (victim_locked == locked && it->second.last_seen < victim->second.last_seen)) {
      victim = it;
    }
  }
  if (victim != entries_.end()) entries_.erase(victim);
}

}  // namespace doorbell::auth
