#include "doorbell/auth/throttle.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "doorbell/observability/metrics.hpp"
#include "fakes/fake_clock.hpp"

namespace doorbell::auth {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class ThrottleTest : public ::testing::Test {
 protected:
  AuthConfig config{720, 3, 60, 10};
  testing::FakeClock clock;
  Metrics metrics;
  AuthThrottle throttle{config, clock, metrics.registry()};
};

TEST_F(ThrottleTest, LocksAnAddressOutAfterTooManyFailuresThenDoublesTheLockout) {
  EXPECT_EQ(throttle.fail("10.0.0.5", "token"), 0);
  EXPECT_EQ(throttle.fail("10.0.0.5", "password"), 0);
  EXPECT_EQ(throttle.refuse_for("10.0.0.5"), 0);
  EXPECT_EQ(throttle.fail("10.0.0.5", "token"), 10) << "the third failure locks out";
  EXPECT_EQ(throttle.refuse_for("10.0.0.5"), 10);
  EXPECT_EQ(throttle.refuse_for("10.0.0.6"), 0) << "other addresses are not affected";
  clock.advance(4s);
  EXPECT_EQ(throttle.refuse_for("10.0.0.5"), 6);
  clock.advance(7s);
  EXPECT_EQ(throttle.refuse_for("10.0.0.5"), 0);
  EXPECT_EQ(throttle.fail("10.0.0.5", "token"), 20) << "a further failure doubles it";
  const auto text = metrics.render();
  EXPECT_THAT(text, HasSubstr("doorbell_auth_failures_total{reason=\"token\"} 3"));
  EXPECT_THAT(text, HasSubstr("doorbell_auth_failures_total{reason=\"password\"} 1"));
  EXPECT_THAT(text, HasSubstr("doorbell_auth_throttled_total 2"));
  EXPECT_THAT(text, HasSubstr("doorbell_auth_lockouts_total 2"));
}

TEST_F(ThrottleTest, FailuresOutsideTheWindowAreForgotten) {
  throttle.fail("10.0.0.5", "token");
  throttle.fail("10.0.0.5", "token");
  clock.advance(61s);
  EXPECT_EQ(throttle.fail("10.0.0.5", "token"), 0);
}

TEST_F(ThrottleTest, Ipv6IsTrackedByItsSlash64) {
  EXPECT_EQ(AuthThrottle::key_of("2001:db8:1:2:aaaa::1"), "2001:0db8:0001:0002::/64");
  EXPECT_EQ(AuthThrottle::key_of("::ffff:192.168.1.9"), "192.168.1.9");
  EXPECT_EQ(AuthThrottle::key_of("192.168.1.9"), "192.168.1.9");
  throttle.fail("2001:db8:1:2::1", "token");
  throttle.fail("2001:db8:1:2::2", "token");
  EXPECT_GT(throttle.fail("2001:db8:1:2::3", "token"), 0) << "one host's /64 is one address";
  EXPECT_EQ(throttle.refuse_for("2001:db8:1:3::1"), 0);
}

TEST_F(ThrottleTest, TracksABoundedNumberOfAddressesForgettingTheOldest) {
  const auto address = [](int i) {
    return "10.1." + std::to_string(i / 256) + "." + std::to_string(i % 256);
  };
  for (int i = 0; i < 5000; ++i) {
    for (int n = 0; n < 3; ++n) throttle.fail(address(i), "token");
    clock.advance(1ms);
  }
  EXPECT_EQ(throttle.refuse_for(address(0)), 0) << "forgotten";
  EXPECT_GT(throttle.refuse_for(address(4999)), 0) << "still locked out";
}

}  // namespace
}  // namespace doorbell::auth
