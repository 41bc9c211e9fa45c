#pragma once
// AuthThrottle: counts failed authentications per client address and kind of credential, and refuses an
// address that failed too often: after auth.max_failures failures of one kind within
// auth.failure_window_seconds, that kind is locked out for auth.lockout_seconds, doubled for every further
// failure, at most an hour. Kinds are apart: wrong passwords lock logins, not the bearer tokens (nor the
// login sessions, which are never guessed) of the same address, and the other way round.
// A password check is slow, so it is counted *before* it runs (attempt()): checks in flight and failures
// together never exceed the budget, however many arrive at once.
// IPv6 is counted per address, and also per /64 (on a home LAN every device shares one) with a budget
// kSubnetFactor times larger, so one device's mistakes do not lock the whole house out while a host
// rotating its addresses in the /64 still runs out. At most 4096 keys are tracked (the oldest unlocked
// forgotten first). Counts failures, refusals and lockouts. Thread-safe.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "doorbell/common/clock.hpp"
#include "doorbell/config/config.hpp"

namespace doorbell::auth {

enum class Credential { token, password };
const char* to_string(Credential kind) noexcept;

class AuthThrottle;

// A password check counted in advance. failed() turns it into a failure; otherwise its end (a success)
// gives the reservation back. Move-only; used by one thread.
class Attempt {
 public:
  Attempt(Attempt&& other) noexcept;
  Attempt& operator=(Attempt&&) = delete;
  Attempt(const Attempt&) = delete;
  ~Attempt();
  // Records the failure; returns the lockout it started in seconds, or 0.
  int failed();

 private:
  friend class AuthThrottle;
  Attempt(AuthThrottle* throttle, std::string address, Credential kind)
      : throttle_(throttle), address_(std::move(address)), kind_(kind) {}

  AuthThrottle* throttle_;  // null once settled
  std::string address_;
  Credential kind_;
};

class AuthThrottle {
 public:
  static constexpr int kSubnetFactor = 20;

  AuthThrottle(const AuthConfig& config, const Clock& clock, prometheus::Registry& registry);

  // Seconds until `kind` may be tried from `address` (rounded up), 0 when it may now. Counts a refusal
  // when not 0.
  int refuse_for(std::string_view address, Credential kind);
  // Records a failure that was already checked (a wrong token: the check is instant); returns the
  // lockout it started in seconds, or 0.
  int fail(std::string_view address, Credential kind);
  // Reserves one try of `kind` before a slow check: empty when the address is locked out or its budget
  // is taken by failures and checks in flight (then `wait` is the seconds to wait; counted as a refusal).
  std::optional<Attempt> attempt(std::string_view address, Credential kind, int& wait);

  // The keys an address is counted under: the address itself (an IPv4-mapped IPv6 address as IPv4),
  // and for IPv6 also its /64 ("2001:0db8:0001:0002::/64").
  static std::vector<std::string> keys_of(std::string_view address);

 private:
  friend class Attempt;
  struct Entry {
    int failures = 0;
    int in_flight = 0;
    Clock::time_point window_start;
    Clock::time_point locked_until;
    Clock::time_point last_seen;
  };
  struct Key {
    std::string text;
    int budget;  // auth.max_failures, or kSubnetFactor times it for a /64
  };
  std::vector<Key> counted_keys(std::string_view address, Credential kind) const;
  Entry& entry(const std::string& key, Clock::time_point now);  // mutex_ held
  int wait_of(const Key& key, Clock::time_point now);           // mutex_ held; 0 when it may try
  int record_failure(std::string_view address, Credential kind, bool reserved);
  void release(std::string_view address, Credential kind);
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
