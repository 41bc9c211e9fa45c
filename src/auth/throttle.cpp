#include "doorbell/auth/throttle.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "doorbell/common/clock.hpp"

namespace doorbell::auth {
namespace {

constexpr std::size_t kMaxTracked = 4096;
constexpr Seconds kMaxLockout{3600};

int whole_seconds(Clock::time_point::duration d) {
  return static_cast<int>(std::ceil(std::chrono::duration<double>(d).count()));
}

}  // namespace

const char* to_string(Credential kind) noexcept {
  return kind == Credential::token ? "token" : "password";
}

Attempt::Attempt(Attempt&& other) noexcept
    : throttle_(std::exchange(other.throttle_, nullptr)),
      address_(std::move(other.address_)),
      kind_(other.kind_) {}

Attempt::~Attempt() {
  if (throttle_ != nullptr) throttle_->release(address_, kind_);
}

int Attempt::failed() {
  if (throttle_ == nullptr) return 0;
  return std::exchange(throttle_, nullptr)->record_failure(address_, kind_, true);
}

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
  for (const auto kind : {Credential::token, Credential::password})
    failures_.Add({{"reason", to_string(kind)}});
}

std::vector<std::string> AuthThrottle::keys_of(std::string_view address) {
  std::string text(address);
  std::array<unsigned char, 16> v6{};
  if (inet_pton(AF_INET6, text.c_str(), v6.data()) != 1) return {text};
  const bool v4_mapped = std::all_of(v6.begin(), v6.begin() + 10, [](unsigned char b) { return b == 0; }) &&
                         v6[10] == 0xff && v6[11] == 0xff;
  if (v4_mapped) return {fmt::format("{}.{}.{}.{}", v6[12], v6[13], v6[14], v6[15])};
  std::array<char, INET6_ADDRSTRLEN> canonical{};
  inet_ntop(AF_INET6, v6.data(), canonical.data(), canonical.size());
  return {canonical.data(), fmt::format("{:02x}{:02x}:{:02x}{:02x}:{:02x}{:02x}:{:02x}{:02x}::/64", v6[0],
                                        v6[1], v6[2], v6[3], v6[4], v6[5], v6[6], v6[7])};
}

std::vector<AuthThrottle::Key> AuthThrottle::counted_keys(std::string_view address, Credential kind) const {
  std::vector<Key> out;
  for (auto& key : keys_of(address)) {
    const bool subnet = key.ends_with("/64");
    out.push_back({fmt::format("{} {}", to_string(kind), key),
                   subnet ? config_.max_failures * kSubnetFactor : config_.max_failures});
  }
  return out;
}

AuthThrottle::Entry& AuthThrottle::entry(const std::string& key, Clock::time_point now) {
  if (entries_.size() >= kMaxTracked && !entries_.contains(key)) forget_oldest();
  auto& e = entries_[key];
  if (e.failures > 0 && now - e.window_start > ticks(config_.failure_window_seconds) &&
      e.locked_until <= now) {
    e.failures = 0;  // the window passed
  }
  if (e.failures == 0) e.window_start = now;
  e.last_seen = now;
  return e;
}

int AuthThrottle::wait_of(const Key& key, Clock::time_point now) {
  const auto it = entries_.find(key.text);
  if (it == entries_.end()) return 0;
  const auto& e = it->second;
  if (e.locked_until > now) return whole_seconds(e.locked_until - now);
  return 0;
}

int AuthThrottle::refuse_for(std::string_view address, Credential kind) {
  const auto now = clock_.now();
  std::lock_guard lock(mutex_);
  int wait = 0;
  for (const auto& key : counted_keys(address, kind)) wait = std::max(wait, wait_of(key, now));
  if (wait > 0) refused_.Increment();
  return wait;
}

std::optional<Attempt> AuthThrottle::attempt(std::string_view address, Credential kind, int& wait) {
  const auto now = clock_.now();
  std::lock_guard lock(mutex_);
  const auto keys = counted_keys(address, kind);
  wait = 0;
  for (const auto& key : keys) {
    wait = std::max(wait, wait_of(key, now));
    auto& e = entry(key.text, now);
    // After a lockout, while its window lasts, one check at a time: a failure locks out again, doubled.
    const int room = e.failures >= key.budget ? 1 : key.budget - e.failures;
    if (wait == 0 && e.in_flight >= room) wait = 1;  // checks in flight take the rest
  }
  if (wait > 0) {
    refused_.Increment();
    return std::nullopt;
  }
  for (const auto& key : keys) ++entries_[key.text].in_flight;
  return Attempt(this, std::string(address), kind);
}

int AuthThrottle::fail(std::string_view address, Credential kind) {
  return record_failure(address, kind, false);
}

int AuthThrottle::record_failure(std::string_view address, Credential kind, bool reserved) {
  failures_.Add({{"reason", to_string(kind)}}).Increment();
  const auto now = clock_.now();
  std::lock_guard lock(mutex_);
  int started = 0;
  for (const auto& key : counted_keys(address, kind)) {
    auto& e = entry(key.text, now);
    if (reserved && e.in_flight > 0) --e.in_flight;
    ++e.failures;
    if (e.failures < key.budget) continue;
    const Seconds lockout =
        std::min(kMaxLockout, config_.lockout_seconds * std::pow(2.0, std::min(e.failures - key.budget, 20)));
    e.locked_until = now + ticks(lockout);
    e.window_start = now;  // failures keep counting while locked out and after
    lockouts_.Increment();
    started = std::max(started, static_cast<int>(std::ceil(lockout.count())));
  }
  return started;
}

void AuthThrottle::release(std::string_view address, Credential kind) {
  std::lock_guard lock(mutex_);
  for (const auto& key : counted_keys(address, kind)) {
    const auto it = entries_.find(key.text);
    if (it != entries_.end() && it->second.in_flight > 0) --it->second.in_flight;
  }
}

void AuthThrottle::forget_oldest() {
  const auto now = clock_.now();
  auto victim = entries_.end();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->second.in_flight > 0) continue;  // its attempt will come back for it
    const bool locked = it->second.locked_until > now;
    if (victim == entries_.end()) {
      victim = it;
      continue;
    }
    const bool victim_locked = victim->second.locked_until > now;
    // Prefer forgetting a key that is not locked out, then the one seen longest ago.
    if ((victim_locked && !locked) ||
        (victim_locked == locked && it->second.last_seen < victim->second.last_seen)) {
      victim = it;
    }
  }
  if (victim != entries_.end()) entries_.erase(victim);
}

}  // namespace doorbell::auth
