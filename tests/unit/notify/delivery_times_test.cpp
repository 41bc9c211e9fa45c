// Retry and give-up times of deliveries on the monotonic clock while the wall clock jumps.
#include "notify/delivery_times.hpp"

#include <gtest/gtest.h>

#include "doorbell/model/time_text.hpp"
#include "fakes/fake_clock.hpp"

namespace doorbell::notify {
namespace {

using namespace std::chrono_literals;

class DeliveryTimesTest : public ::testing::Test {
 protected:
  // A delivery created at `created` (wall clock), due at `next`.
  static storage::Delivery delivery(std::chrono::system_clock::time_point created,
                                    std::chrono::system_clock::time_point next,
                                    const std::string& key = "k1") {
    storage::Delivery d;
    d.idempotency_key = key;
    d.created_at = model::iso_time(created);
    d.next_attempt_at = model::iso_time(next);
    return d;
  }

  const std::chrono::system_clock::time_point wall = *model::parse_iso_time("2026-12-01T10:00:00.000Z");
  testing::FakeClock clock;
  DeliveryTimes times{clock, 300s};
};

TEST_F(DeliveryTimesTest, ARetryWaitsForItsBackoffWhateverTheWallClockDoes) {
  const auto d = delivery(wall, wall);
  ASSERT_TRUE(times.due(d, wall));
  times.tried(d, true, wall);
  times.retry_after(d, 30s);
  EXPECT_FALSE(times.due(d, wall + 24h)) << "a clock set forward does not make it due early";
  clock.advance(29s);
  EXPECT_FALSE(times.due(d, wall));
  clock.advance(1s);
  EXPECT_TRUE(times.due(d, wall - 24h)) << "nor does a clock set back hold it";
}

TEST_F(DeliveryTimesTest, ARowFromAnEarlierRunIsDueByItsWallTimeOrWhenTheClockWentBack) {
  EXPECT_FALSE(times.due(delivery(wall, wall + 30s), wall));
  EXPECT_TRUE(times.due(delivery(wall, wall + 30s), wall + 30s));
  EXPECT_FALSE(times.due(delivery(wall, wall + 300s), wall)) << "as far ahead as a backoff can be";
  EXPECT_TRUE(times.due(delivery(wall, wall + 2h), wall)) << "beyond any backoff: the clock went back";
}

TEST_F(DeliveryTimesTest, AgeCountsFromTheFirstAttemptOnTheMonotonicClock) {
  const auto d = delivery(wall - 60s, wall);
  times.tried(d, true, wall);
  EXPECT_DOUBLE_EQ(times.age_seconds(d), 60);
  clock.advance(10s);
  times.tried(d, true, wall + 48h);  // a later attempt after the wall clock jumped: the age is kept
  EXPECT_DOUBLE_EQ(times.age_seconds(d), 70);
  times.forget(d);
  EXPECT_DOUBLE_EQ(times.age_seconds(d), 0);
}

// A Pi stamps the event with a stale time before NTP answers; the clock then jumps forward a week.
TEST_F(DeliveryTimesTest, AnEventStampedByAnUnsynchronisedClockStartsYoung) {
  const auto d = delivery(wall - 168h, wall);
  times.tried(d, false, wall);
  EXPECT_DOUBLE_EQ(times.age_seconds(d), 0) << "not given up for a week it did not wait";
  const auto trusted = delivery(wall - 168h, wall, "k2");
  times.tried(trusted, true, wall);
  EXPECT_DOUBLE_EQ(times.age_seconds(trusted), 168 * 3600.0);
}

TEST_F(DeliveryTimesTest, DeliveriesThatVanishedAreForgottenLongAfterTheirRetry) {
  const auto gone = delivery(wall, wall, "gone");
  times.tried(gone, true, wall);
  times.retry_after(gone, 10s);
  clock.advance(2h);  // its event was deleted: no outcome ever comes
  const auto other = delivery(wall, wall, "other");
  times.tried(other, true, wall);
  times.retry_after(other, 10s);
  EXPECT_DOUBLE_EQ(times.age_seconds(gone), 0) << "forgotten";
  EXPECT_TRUE(times.due(gone, wall)) << "judged by its stored time again";
}

}  // namespace
}  // namespace doorbell::notify
