#pragma once
// DeliveryTimes: the monotonic clock's record of the deliveries one dispatcher has tried — when each may
// be tried again and how old it is — so that a wall clock set forward or back (a Raspberry Pi's stale time
// until NTP answers, then a jump) neither gives up fresh notifications nor holds their retries back.
// A delivery this process has not tried yet (a row left by a previous run) is judged by its stored
// wall-clock times, where a retry time further ahead than any backoff counts as due: the clock went back.
// Used by its dispatcher's thread only: not thread-safe.

#include <chrono>
#include <string>
#include <unordered_map>

#include "doorbell/common/clock.hpp"
#include "doorbell/storage/delivery_ledger.hpp"

namespace doorbell::notify {

class DeliveryTimes {
 public:
  // `max_backoff`: the longest wait retry_after is ever given (notify.retry_max_seconds).
  DeliveryTimes(const Clock& clock, std::chrono::duration<double> max_backoff);

  bool due(const storage::Delivery& delivery, std::chrono::system_clock::time_point wall_now) const;
  // Called before each attempt. The first one fixes the delivery's age then: its wall-clock age, or 0
  // when `wall_age_trusted` is false (its event was stamped by an unsynchronised clock).
  void tried(const storage::Delivery& delivery, bool wall_age_trusted,
             std::chrono::system_clock::time_point wall_now);
  // Seconds since the delivery was created: its age when first tried, then by the monotonic clock.
  double age_seconds(const storage::Delivery& delivery) const;
  void retry_after(const storage::Delivery& delivery, std::chrono::duration<double> wait);
  void forget(const storage::Delivery& delivery);  // delivered or given up

 private:
  struct Known {
    Clock::time_point first_tried;
    double age_then = 0;
    Clock::time_point next_attempt;
  };

  const Clock& clock_;
  const std::chrono::duration<double> max_backoff_;
  std::unordered_map<std::string, Known> known_;  // by idempotency key
};

}  // namespace doorbell::notify
