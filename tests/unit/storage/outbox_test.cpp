// Claiming deliveries, on both backends: a door claims a delivery before sending it, no other door takes
// it while the claim lasts, and a claim that ran out (a door that died) is taken over. On a database
// doors share, a door lists its own deliveries and those another door left behind.
#include "doorbell/storage/outbox.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "doorbell/model/time_text.hpp"
#include "doorbell/storage/event_store.hpp"
#include "support/store_backends.hpp"

namespace doorbell::storage {
namespace {

using namespace std::chrono_literals;

class OutboxClaims : public testing::StoreTest {
 protected:
  // A new event of `door` with one pending webhook delivery; returns the delivery's id.
  std::int64_t delivery_of(const std::string& door) {
    model::Event e;
    e.door = door;
    e.time = model::iso_time(std::chrono::system_clock::now());
    e.source = "http";
    e.kind = model::EventKind::no_face;
    const std::vector<NewDelivery> planned{{"webhook", ""}};
    const auto id = events.insert(e, planned);
    return Outbox(where()).for_event(id).at(0).id;
  }
  bool listed(Outbox& outbox, std::int64_t id) {
    const auto pending = outbox.pending("webhook", 10);
    return std::any_of(pending.begin(), pending.end(), [&](const Delivery& d) { return d.id == id; });
  }

  EventStore events{where()};
  Outbox front{where(), "front", 30s};
  Outbox back{where(), "back", 30s};
};
DOORBELL_ON_EACH_BACKEND(OutboxClaims);

TEST_P(OutboxClaims, OneDoorAtATime_AClaimThatRanOutIsTakenOver) {
  const auto id = delivery_of("front");
  const auto now = std::chrono::system_clock::now();
  EXPECT_TRUE(front.claim(id, now));
  EXPECT_FALSE(back.claim(id, now + 10s)) << "the front door holds it";
  EXPECT_TRUE(front.claim(id, now + 10s)) << "its own claim, renewed";
  EXPECT_TRUE(back.claim(id, now + 41s)) << "30 s after the front door's last claim: a door that died";
  EXPECT_FALSE(front.claim(id, now + 42s));
  back.delivered(id, 1, model::iso_time(now + 42s));
  EXPECT_FALSE(back.claim(id, now + 43s)) << "no longer pending";
}

TEST_P(OutboxClaims, ARetryKeepsTheClaimPastTheNextAttempt) {
  const auto id = delivery_of("front");
  const auto now = std::chrono::system_clock::now();
  ASSERT_TRUE(front.claim(id, now));
  front.retry(id, 1, model::iso_time(now + 300s), "receiver down");
  EXPECT_FALSE(back.claim(id, now + 301s))
      << "the front door will try again at 300 s, and holds it till 330 s";
  EXPECT_TRUE(back.claim(id, now + 331s));
}

TEST_P(OutboxClaims, TwoDoorsClaimingAtOnce_OneWins) {
  for (int round = 0; round < 20; ++round) {
    const auto id = delivery_of("front");
    std::atomic<int> wins = 0;
    {
      std::jthread a([&] { wins += front.claim(id, std::chrono::system_clock::now()) ? 1 : 0; });
      std::jthread b([&] { wins += back.claim(id, std::chrono::system_clock::now()) ? 1 : 0; });
    }
    EXPECT_EQ(wins.load(), 1) << "round " << round;
  }
}

TEST_P(OutboxClaims, ADoorListsItsOwnDeliveriesAndThoseAnotherDoorLeftBehind) {
  const auto fresh = delivery_of("front");
  const auto left = delivery_of("front");
  const auto taken = delivery_of("front");
  ASSERT_TRUE(front.claim(taken, std::chrono::system_clock::now()));
  // `left` was made 31 s ago and never claimed; `taken`'s claim ran out 1 s ago.
  auto db = open(migrations());
  db.prepare("UPDATE deliveries SET created_at = ? WHERE id = ?")
      .bind(1, model::iso_time(std::chrono::system_clock::now() - 31s))
      .bind(2, left)
      .run();
  db.prepare("UPDATE deliveries SET claimed_until = ? WHERE id = ?")
      .bind(1, model::iso_time(std::chrono::system_clock::now() - 1s))
      .bind(2, taken)
      .run();
  for (const auto id : {fresh, left, taken}) EXPECT_TRUE(listed(front, id));
  EXPECT_TRUE(listed(back, left));
  EXPECT_TRUE(listed(back, taken));
  // One door (SQLite) sends every delivery; on a shared database a fresh one is its own door's.
  EXPECT_EQ(listed(back, fresh), !on_postgres());
}

}  // namespace
}  // namespace doorbell::storage
