#pragma once
// AuthThrottle: counts failed authentications (wrong token, wrong password) per client address — IPv6
// by /64, the block a single host gets — and refuses an address that failed too often: after
// auth.max_failures failures within auth.failure_window_seconds it is locked out for
// auth.lockout_seconds, doubled for every further failure, at most an hour. At most 4096 addresses are
// tracked (the oldest are forgotten first). Counts failures and refusals. Thread-safe.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "doorbell/common/clock.hpp"
#include "doorbell/config/config.hpp"

namespace doorbell::auth {

class AuthThrottle {
 public:
  AuthThrottle(const AuthConfig& config, const Clock& clock, prometheus::Registry& registry);

  // Seconds left of the address's lockout (rounded up), 0 when it may try. Counts a refusal when not 0.
  int refuse_for(std::string_view address);
  // Records a failure (`reason`: "token" or "password"); returns the lockout it started in seconds, or 0.
  int fail(std::string_view address, std::string_view reason);

  // The key an address is tracked under: IPv4 as is, IPv6 by its /64 prefix.
  static std::string key_of(std::string_view address);

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point window_start;
    Clock::time_point locked_until;
    Clock::time_point last_seen;
  };
  void forget_oldest();  // mutex_ held

  const AuthConfig config_;
  const Clock& clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  prometheus::Family<prometheus::Counter>& failures_;
  prometheus::Counter& refused_;
  prometheus::Counter& lockouts_;
};

}  // namespace doorbell::auth
