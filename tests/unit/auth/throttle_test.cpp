#include "doorbell/auth/throttle.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "doorbell/observability/metrics.hpp"
#include "fakes/fake_clock.hpp"

namespace doorbell::auth {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class ThrottleTest : public ::testing::Test {
 protected:
  AuthConfig config{Hours(720), 3, Seconds(60), Seconds(10)};
  testing::FakeClock clock;
  Metrics metrics;
  AuthThrottle throttle{config, clock, metrics.registry()};
};

constexpr auto kToken = Credential::token;
constexpr auto kPassword = Credential::password;

TEST_F(ThrottleTest, LocksAnAddressOutAfterTooManyFailuresThenDoublesTheLockout) {
  EXPECT_EQ(throttle.fail("10.0.0.5", kToken), 0);
  EXPECT_EQ(throttle.fail("10.0.0.5", kToken), 0);
  EXPECT_EQ(throttle.refuse_for("10.0.0.5", kToken), 0);
  EXPECT_EQ(throttle.fail("10.0.0.5", kToken), 10) << "the third failure locks out";
  EXPECT_EQ(throttle.refuse_for("10.0.0.5", kToken), 10);
  EXPECT_EQ(throttle.refuse_for("10.0.0.6", kToken), 0) << "other addresses are not affected";
  clock.advance(4s);
  EXPECT_EQ(throttle.refuse_for("10.0.0.5", kToken), 6);
  clock.advance(7s);
  EXPECT_EQ(throttle.refuse_for("10.0.0.5", kToken), 0);
  EXPECT_EQ(throttle.fail("10.0.0.5", kToken), 20) << "a further failure doubles it";
  int wait = 0;
  EXPECT_TRUE(throttle.attempt("10.0.0.5", kPassword, wait)) << "a token lockout leaves passwords alone";
  const auto text = metrics.render();
  EXPECT_THAT(text, HasSubstr("doorbell_auth_failures_total{reason=\"token\"} 4"));
  EXPECT_THAT(text, HasSubstr("doorbell_auth_throttled_total 2"));
  EXPECT_THAT(text, HasSubstr("doorbell_auth_lockouts_total 2"));
}

TEST_F(ThrottleTest, WrongPasswordsLockLoginsButNotTokens) {
  int wait = 0;
  for (int i = 0; i < 3; ++i) throttle.attempt("10.0.0.5", kPassword, wait)->failed();
  EXPECT_FALSE(throttle.attempt("10.0.0.5", kPassword, wait));
  EXPECT_EQ(wait, 10);
  EXPECT_EQ(throttle.refuse_for("10.0.0.5", kPassword), 10);
  EXPECT_EQ(throttle.refuse_for("10.0.0.5", kToken), 0);
  EXPECT_THAT(metrics.render(), HasSubstr("doorbell_auth_failures_total{reason=\"password\"} 3"));
}

TEST_F(ThrottleTest, AfterAPasswordLockoutOneMoreWrongPasswordDoublesIt) {
  int wait = 0;
  for (int i = 0; i < 3; ++i) throttle.attempt("10.0.0.5", kPassword, wait)->failed();
  clock.advance(11s);  // the lockout is over, its window is not
  auto next = throttle.attempt("10.0.0.5", kPassword, wait);
  ASSERT_TRUE(next) << "tried again once the lockout is over, waited " << wait;
  EXPECT_FALSE(throttle.attempt("10.0.0.5", kPassword, wait)) << "one check at a time until the window ends";
  EXPECT_EQ(next->failed(), 20) << "doubled";
  EXPECT_FALSE(throttle.attempt("10.0.0.5", kPassword, wait));
  EXPECT_EQ(wait, 20);
  clock.advance(21s);
  next = std::nullopt;
  auto right = throttle.attempt("10.0.0.5", kPassword, wait);
  EXPECT_TRUE(right) << "and a right password after it is checked";
}

TEST_F(ThrottleTest, ChecksInFlightCountAgainstTheBudgetBeforeTheyRun) {
  int wait = 0;
  auto first = throttle.attempt("10.0.0.5", kPassword, wait);
  auto second = throttle.attempt("10.0.0.5", kPassword, wait);
  auto third = throttle.attempt("10.0.0.5", kPassword, wait);
  ASSERT_TRUE(first && second && third);
  EXPECT_FALSE(throttle.attempt("10.0.0.5", kPassword, wait)) << "three checks in flight take the budget";
  EXPECT_EQ(wait, 1);
  first.reset();  // a success gives its reservation back
  auto fourth = throttle.attempt("10.0.0.5", kPassword, wait);
  ASSERT_TRUE(fourth);
  second->failed();
  third->failed();
  EXPECT_EQ(fourth->failed(), 10) << "the third failure locks out";
}

TEST_F(ThrottleTest, SixtyConcurrentGuessesGetTheBudgetAndNoMore) {
  std::atomic<int> checked{0};
  std::vector<std::jthread> guesses;
  for (int i = 0; i < 60; ++i) {
    guesses.emplace_back([&] {
      int wait = 0;
      if (auto attempt = throttle.attempt("10.0.0.5", kPassword, wait)) {
        ++checked;
        std::this_thread::sleep_for(5ms);  // the password check
        attempt->failed();
      }
    });
  }
  guesses.clear();
  EXPECT_EQ(checked, config.max_failures);
}

TEST_F(ThrottleTest, FailuresOutsideTheWindowAreForgotten) {
  throttle.fail("10.0.0.5", kToken);
  throttle.fail("10.0.0.5", kToken);
  clock.advance(61s);
  EXPECT_EQ(throttle.fail("10.0.0.5", kToken), 0);
}

TEST_F(ThrottleTest, Ipv6IsCountedPerAddressWithALargerBudgetForItsSlash64) {
  EXPECT_EQ(AuthThrottle::keys_of("2001:db8:1:2:aaaa::1"),
            (std::vector<std::string>{"2001:db8:1:2:aaaa::1", "2001:0db8:0001:0002::/64"}));
  EXPECT_EQ(AuthThrottle::keys_of("::ffff:192.168.1.9"), std::vector<std::string>{"192.168.1.9"});
  EXPECT_EQ(AuthThrottle::keys_of("192.168.1.9"), std::vector<std::string>{"192.168.1.9"});
  for (int i = 0; i < 3; ++i) throttle.fail("2001:db8:1:2::1", kToken);
  EXPECT_GT(throttle.refuse_for("2001:db8:1:2::1", kToken), 0);
  EXPECT_EQ(throttle.refuse_for("2001:db8:1:2::2", kToken), 0) << "another device of the house";
  // A host that rotates its addresses within the /64 still runs out: 20 times the budget.
  int locked_after = 0;
  for (int i = 2; locked_after == 0 && i < 1000; ++i) {
    if (throttle.fail(fmt::format("2001:db8:1:2::{:x}", i), kToken) > 0 &&
        throttle.refuse_for("2001:db8:1:2::ffff", kToken) > 0) {
      locked_after = i;
    }
  }
  EXPECT_EQ(3 + (locked_after - 1), 3 * AuthThrottle::kSubnetFactor) << "failures until the /64 locks";
  EXPECT_EQ(throttle.refuse_for("2001:db8:1:3::1", kToken), 0) << "another /64";
}

TEST_F(ThrottleTest, TracksABoundedNumberOfAddressesForgettingTheOldest) {
  const auto address = [](int i) {
    return "10.1." + std::to_string(i / 256) + "." + std::to_string(i % 256);
  };
  for (int i = 0; i < 5000; ++i) {
    for (int n = 0; n < 3; ++n) throttle.fail(address(i), kToken);
    clock.advance(1ms);
  }
  EXPECT_EQ(throttle.refuse_for(address(0), kToken), 0) << "forgotten";
  EXPECT_GT(throttle.refuse_for(address(4999), kToken), 0) << "still locked out";
}

}  // namespace
}  // namespace doorbell::auth
