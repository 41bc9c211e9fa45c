#include "delivery_times.hpp"

#include <algorithm>

#include "doorbell/model/time_text.hpp"

namespace doorbell::notify {
namespace {

std::chrono::steady_clock::duration steady(std::chrono::duration<double> d) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(d);
}

}  // namespace

DeliveryTimes::DeliveryTimes(const Clock& clock, std::chrono::duration<double> max_backoff)
    : clock_(clock), max_backoff_(max_backoff) {}

bool DeliveryTimes::due(const storage::Delivery& d, std::chrono::system_clock::time_point wall_now) const {
  if (const auto it = known_.find(d.idempotency_key); it != known_.end())
    return clock_.now() >= it->second.next_attempt;
  const auto horizon = wall_now + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                      max_backoff_ + std::chrono::seconds(1));
  return d.next_attempt_at <= model::iso_time(wall_now) || d.next_attempt_at > model::iso_time(horizon);
}

void DeliveryTimes::tried(const storage::Delivery& d, bool wall_age_trusted,
                          std::chrono::system_clock::time_point wall_now) {
  if (known_.contains(d.idempotency_key)) return;
  double age = 0;
  if (const auto created = model::parse_iso_time(d.created_at); created && wall_age_trusted)
    age = std::max(0.0, std::chrono::duration<double>(wall_now - *created).count());
  const auto now = clock_.now();
  known_.emplace(d.idempotency_key, Known{now, age, now});
}

double DeliveryTimes::age_seconds(const storage::Delivery& d) const {
  const auto it = known_.find(d.idempotency_key);
  if (it == known_.end()) return 0;
  return it->second.age_then + std::chrono::duration<double>(clock_.now() - it->second.first_tried).count();
}

void DeliveryTimes::retry_after(const storage::Delivery& d, std::chrono::duration<double> wait) {
  const auto now = clock_.now();
  // Deliveries that went without an outcome here (their event was deleted) are long past their retry.
  std::erase_if(known_, [&](const auto& entry) {
    return entry.second.next_attempt + steady(2 * max_backoff_) + std::chrono::minutes(1) < now;
  });
  if (const auto it = known_.find(d.idempotency_key); it != known_.end())
    it->second.next_attempt = now + steady(wait);
}

void DeliveryTimes::forget(const storage::Delivery& d) {
  known_.erase(d.idempotency_key);
}

}  // namespace doorbell::notify
