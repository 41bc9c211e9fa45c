#include "doorbell/storage/outbox.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "doorbell/model/time_text.hpp"

namespace doorbell::storage {
namespace {

constexpr std::string_view kDeliveryColumns =
    "id, event_id, channel, idempotency_key, state, attempts, created_at, next_attempt_at, last_error, "
    "finished_at FROM deliveries";

Delivery read_delivery(const Statement& s) {
  Delivery d;
  d.id = s.integer(0);
  d.event_id = s.integer(1);
  d.channel = s.text(2);
  d.idempotency_key = s.text(3);
  d.state = s.text(4);
  d.attempts = static_cast<int>(s.integer(5));
  d.created_at = s.text(6);
  d.next_attempt_at = s.text(7);
  d.last_error = s.text(8);
  d.finished_at = s.text(9);
  return d;
}

}  // namespace

Outbox::Outbox(const Location& where, std::string door, std::chrono::seconds lease)
    : door_(std::move(door)), lease_(lease), db_(open_records(where, Durability::power_cut)) {}

std::vector<Delivery> Outbox::pending(const std::string& channel, int limit) {
  std::lock_guard lock(mutex_);
  const bool shared = db_.dialect() == Dialect::postgres;
  const auto now = std::chrono::system_clock::now();
  auto stmt = db_.prepare(fmt::format(
      "SELECT {} WHERE channel = ? AND state = 'pending' AND (? = 0 OR event_id IN (SELECT id FROM events "
      "WHERE door = ?) OR (claimed_until = '' AND created_at < ?) OR (claimed_until <> '' AND claimed_until "
      "< "
      "?)) ORDER BY next_attempt_at, id LIMIT ?",
      kDeliveryColumns));
  stmt.bind(1, channel)
      .bind(2, static_cast<std::int64_t>(shared))
      .bind(3, door_)
      .bind(4, model::iso_time(now - lease_))
      .bind(5, model::iso_time(now))
      .bind(6, static_cast<std::int64_t>(limit));
  std::vector<Delivery> out;
  while (stmt.step()) out.push_back(read_delivery(stmt));
  return out;
}

bool Outbox::claim(std::int64_t id, std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  db_.prepare(
         "UPDATE deliveries SET claimed_by = ?, claimed_until = ? WHERE id = ? AND state = 'pending' AND "
         "(claimed_by = ? OR claimed_until = '' OR claimed_until < ?)")
      .bind(1, door_)
      .bind(2, model::iso_time(now + lease_))
      .bind(3, id)
      .bind(4, door_)
      .bind(5, model::iso_time(now))
      .run();
  return db_.changes() == 1;
}

void Outbox::delivered(std::int64_t id, int attempts, const std::string& now) {
  std::lock_guard lock(mutex_);
  db_.prepare(
         "UPDATE deliveries SET state = 'delivered', attempts = ?, last_error = '', finished_at = ? "
         "WHERE id = ?")
      .bind(1, static_cast<std::int64_t>(attempts))
      .bind(2, now)
      .bind(3, id)
      .run();
}

void Outbox::retry(std::int64_t id, int attempts, const std::string& next_attempt_at,
                   const std::string& error) {
  std::lock_guard lock(mutex_);
  // The claim lasts past the next attempt: a door that lives keeps its delivery through the backoff.
  const auto next = model::parse_iso_time(next_attempt_at).value_or(std::chrono::system_clock::now());
  db_.prepare(
         "UPDATE deliveries SET attempts = ?, next_attempt_at = ?, last_error = ?, claimed_until = ? WHERE "
         "id = "
         "?")
      .bind(1, static_cast<std::int64_t>(attempts))
      .bind(2, next_attempt_at)
      .bind(3, error)
      .bind(4, model::iso_time(std::max(next, std::chrono::system_clock::now()) + lease_))
      .bind(5, id)
      .run();
}

void Outbox::failed(std::int64_t id, int attempts, const std::string& error, const std::string& now) {
  std::lock_guard lock(mutex_);
  db_.prepare(
         "UPDATE deliveries SET state = 'failed', attempts = ?, last_error = ?, finished_at = ? WHERE id = ?")
      .bind(1, static_cast<std::int64_t>(attempts))
      .bind(2, error)
      .bind(3, now)
      .bind(4, id)
      .run();
}

std::vector<Delivery> Outbox::for_event(std::int64_t event_id) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(fmt::format("SELECT {} WHERE event_id = ? ORDER BY id", kDeliveryColumns));
  stmt.bind(1, event_id);
  std::vector<Delivery> out;
  while (stmt.step()) out.push_back(read_delivery(stmt));
  return out;
}

std::map<std::string, Backlog> Outbox::backlog() {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(
      "SELECT channel, count(*), min(created_at) FROM deliveries WHERE state = 'pending' GROUP BY channel");
  std::map<std::string, Backlog> out;
  while (stmt.step()) out[stmt.text(0)] = {stmt.integer(1), stmt.text(2)};
  return out;
}

nlohmann::json to_json(const Delivery& d) {
  nlohmann::json j{{"channel", d.channel},
                   {"state", d.state},
                   {"attempts", d.attempts},
                   {"idempotency_key", d.idempotency_key},
                   {"created_at", d.created_at}};
  if (d.state == "pending") j["next_attempt_at"] = d.next_attempt_at;
  if (!d.last_error.empty()) j[d.state == "skipped" ? "reason" : "last_error"] = d.last_error;
  if (!d.finished_at.empty()) j["finished_at"] = d.finished_at;
  return j;
}

}  // namespace doorbell::storage
