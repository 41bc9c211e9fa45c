// The outbox and a dispatcher with a scripted channel: deliveries stored with their event, retried with
// backoff, given up, counted. Time is a FakeClock the tests move: the dispatcher's passes (work_once) run on
// the test's thread, and no test waits for a backoff to pass.
#include "notify/dispatcher.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <thread>

#include "doorbell/model/time_text.hpp"
#include "fakes/fake_clock.hpp"
#include "support/store_backends.hpp"

namespace doorbell::notify {
namespace {

using namespace std::chrono_literals;

// Fails as scripted (retryable or not), then delivers; remembers what it was asked to send. Thread-safe.
class ScriptedChannel final : public Channel {
 public:
  struct Sent {
    std::int64_t event_id;
    std::string key;
    std::size_t snapshot_bytes;
  };
  explicit ScriptedChannel(std::deque<std::optional<bool>> failures) : failures_(std::move(failures)) {}
  const char* name() const noexcept override { return "scripted"; }
  void send(const Notice& n) override {
    std::lock_guard lock(mutex_);
    attempts_.push_back({n.event.id, n.idempotency_key, n.snapshot.size()});
    if (!failures_.empty()) {
      const auto retryable = failures_.front();
      failures_.pop_front();
      if (retryable) throw DeliveryError("receiver says no", *retryable);
    }
  }
  std::vector<Sent> attempts() const {
    std::lock_guard lock(mutex_);
    return attempts_;
  }

 private:
  mutable std::mutex mutex_;
  std::deque<std::optional<bool>> failures_;  // per attempt: retryable?, or nullopt = deliver
  std::vector<Sent> attempts_;
};

class DispatcherTest : public testing::StoreTest {
 protected:
  DispatcherTest() {
    config.retry_initial_seconds = Seconds(0.1);
    config.retry_max_seconds = Seconds(0.2);
    config.public_url = "http://door.lan:8080/";
  }

  std::int64_t add_event(std::optional<std::string> time = std::nullopt) {
    model::Event e;
    e.time = time.value_or(model::iso_time(clock.wall_now()));
    e.source = "http";
    e.kind = model::EventKind::unknown;
    const std::string jpeg = "jpeg!";
    e.snapshot_path = dir.write("snap.jpg", jpeg).string();  // SQLite's; PostgreSQL keeps the bytes
    const std::vector<std::uint8_t> bytes(jpeg.begin(), jpeg.end());
    const std::vector<storage::NewDelivery> planned{{"scripted", {}}, {"other", "cooldown"}};
    const auto deliveries = storage::new_deliveries(planned, model::iso_time(clock.wall_now()));
    return events.insert(e, std::span<const storage::Delivery>(deliveries), bytes);
  }

  std::unique_ptr<Dispatcher> dispatcher(std::deque<std::optional<bool>> failures) {
    auto channel = std::make_unique<ScriptedChannel>(std::move(failures));
    channel_ = channel.get();
    return std::make_unique<Dispatcher>(std::move(channel), config, outbox, events, metrics, component,
                                        tracer, clock);
  }

  storage::Delivery delivery(std::int64_t event_id) { return outbox.for_event(event_id).at(0); }

  bool wait_for_state(std::int64_t event_id, const std::string& state,
                      std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (delivery(event_id).state == state) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  storage::EventStore events{where()};
  storage::Outbox outbox{where()};
  NotifyConfig config;
  prometheus::Registry registry;
  ChannelMetrics metrics{registry, "scripted"};
  testing::FakeClock clock;
  HealthRegistry health{clock};
  Component& component = health.add("notify");
  Tracer tracer{{}, nullptr};
  ScriptedChannel* channel_ = nullptr;
};

DOORBELL_ON_EACH_BACKEND(DispatcherTest);

TEST_P(DispatcherTest, DeliveriesAreStoredWithTheEventPendingOrSkipped) {
  const auto id = add_event();
  const auto rows = outbox.for_event(id);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].state, "pending");
  EXPECT_EQ(rows[0].idempotency_key.size(), 32u);
  EXPECT_EQ(rows[1].state, "skipped");
  EXPECT_EQ(rows[1].last_error, "cooldown");
  EXPECT_NE(rows[0].idempotency_key, rows[1].idempotency_key);
  EXPECT_EQ(outbox.backlog()["scripted"].pending, 1);
  EXPECT_EQ(outbox.backlog().count("other"), 0u);
  EXPECT_EQ(storage::to_json(rows[1])["reason"], "cooldown");
}

TEST_P(DispatcherTest, DeliversAtOnceWithTheSnapshotAndItsLink) {
  const auto id = add_event();
  auto d = dispatcher({});
  d->start();
  d->wake();
  ASSERT_TRUE(wait_for_state(id, "delivered"));
  const auto row = delivery(id);
  EXPECT_EQ(row.attempts, 1);
  EXPECT_FALSE(row.finished_at.empty());
  ASSERT_EQ(channel_->attempts().size(), 1u);
  EXPECT_EQ(channel_->attempts()[0].snapshot_bytes, 5u);
  EXPECT_EQ(channel_->attempts()[0].key, row.idempotency_key);
  EXPECT_EQ(metrics.delivered.Value(), 1);
  EXPECT_EQ(outbox.backlog()["scripted"].pending, 0);
}

TEST_P(DispatcherTest, RetriesWithTheSameKeyUntilTheReceiverTakesIt) {
  const auto id = add_event();
  auto d = dispatcher({true, true, std::nullopt});
  d->work_once(component);
  EXPECT_EQ(delivery(id).state, "pending");
  for (int pass = 0; pass < 2; ++pass) {
    clock.advance(200ms);  // retry_max_seconds: every backoff has passed
    d->work_once(component);
  }
  EXPECT_EQ(delivery(id).state, "delivered");
  const auto attempts = channel_->attempts();
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].key, attempts[2].key) << "one idempotency key for every attempt";
  EXPECT_EQ(delivery(id).attempts, 3);
  EXPECT_EQ(metrics.retries.Value(), 2);
  EXPECT_EQ(metrics.delivered.Value(), 1);
}

TEST_P(DispatcherTest, AWaitingRetryIsNotDueBeforeItsTime) {
  config.retry_initial_seconds = Seconds(30);
  config.retry_max_seconds = Seconds(30);
  const auto id = add_event();
  auto d = dispatcher({true});
  d->work_once(component);
  clock.advance(14s);
  d->work_once(component);
  auto row = delivery(id);
  EXPECT_EQ(row.state, "pending");
  EXPECT_EQ(row.attempts, 1) << "not tried again within the backoff";
  EXPECT_EQ(row.last_error, "receiver says no");
  const auto next = model::parse_iso_time(row.next_attempt_at);
  ASSERT_TRUE(next);
  EXPECT_GT(*next, clock.wall_now()) << "15-30 s: 30 s with 50-100 % jitter";
  EXPECT_LE(*next, clock.wall_now() + 16s);

  clock.advance(16s);  // 30 s after the attempt: due whatever the jitter drew
  d->work_once(component);
  row = delivery(id);
  EXPECT_EQ(row.state, "delivered");
  EXPECT_EQ(row.attempts, 2);
}

TEST_P(DispatcherTest, APermanentErrorFailsAtOnce) {
  const auto id = add_event();
  auto d = dispatcher({false});
  d->work_once(component);
  EXPECT_EQ(delivery(id).state, "failed");
  EXPECT_EQ(channel_->attempts().size(), 1u);
  EXPECT_EQ(metrics.failed.Value(), 1);
}

TEST_P(DispatcherTest, GivesUpOnDeliveriesOlderThanTheLimit) {
  config.give_up_hours = Hours(0.01);  // 36 s
  const auto id = add_event();
  // Age the delivery: it was created 40 s ago.
  {
    auto db = open(migrations());
    db.prepare("UPDATE deliveries SET created_at = ?").bind(1, model::iso_time(clock.wall_now() - 40s)).run();
  }
  auto d = dispatcher({true, true, true});
  d->work_once(component);
  EXPECT_EQ(delivery(id).state, "failed");
  EXPECT_THAT(delivery(id).last_error, ::testing::HasSubstr("notify.give_up_hours"));
  EXPECT_EQ(channel_->attempts().size(), 1u);
}

// The limit counts on the monotonic clock once a delivery is tried: retries that carry it past the limit
// give it up, however the wall clock moves meanwhile.
TEST_P(DispatcherTest, RetriesGiveUpOnceTheLimitHasPassedSinceTheEvent) {
  config.give_up_hours = Hours(0.01);  // 36 s
  config.retry_initial_seconds = Seconds(10);
  config.retry_max_seconds = Seconds(10);
  const auto id = add_event();
  auto d = dispatcher({true, true, true, true, true, true});
  for (int pass = 0; pass < 6 && delivery(id).state == "pending"; ++pass) {
    d->work_once(component);
    clock.advance(10s);
  }
  EXPECT_EQ(delivery(id).state, "failed");
  EXPECT_THAT(delivery(id).last_error, ::testing::HasSubstr("notify.give_up_hours"));
  EXPECT_EQ(channel_->attempts().size(), 5u) << "at 0, 10, 20, 30 and 40 s: the last one past 36 s";
}

TEST_P(DispatcherTest, DeliveriesGoWithAnEventDeletedByRetention) {
  const auto id = add_event("2020-01-01T00:00:00.000Z");
  events.prune("2021-01-01T00:00:00.000Z", 0);
  EXPECT_TRUE(outbox.for_event(id).empty()) << "deliveries go with their event";
  auto d = dispatcher({});
  d->work_once(component);
  EXPECT_TRUE(channel_->attempts().empty());
}

}  // namespace
}  // namespace doorbell::notify
