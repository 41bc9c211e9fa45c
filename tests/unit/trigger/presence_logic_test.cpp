#include "doorbell/trigger/presence_logic.hpp"

#include <gtest/gtest.h>

namespace doorbell::trigger {
namespace {

using namespace std::chrono_literals;
using time_point = PresenceLogic::time_point;

class PresenceLogicTest : public ::testing::Test {
 protected:
  // Checks once a second from t0 + from to t0 + to (inclusive); how many presence rings were due.
  int watch(std::chrono::seconds from, std::chrono::seconds to, bool face,
            std::optional<time_point> last_ring = std::nullopt) {
    int rings = 0;
    for (auto t = from; t <= to; t += 1s) rings += logic.observe(t0 + t, face, last_ring) ? 1 : 0;
    return rings;
  }

  const time_point t0{std::chrono::hours(1)};
  PresenceLogic logic{{5s, 2s, 60s}};
};

TEST_F(PresenceLogicTest, AFaceThatStaysRingsOnceAfterTheDwellTime) {
  EXPECT_EQ(watch(0s, 4s, true), 0) << "4 s is not long enough";
  EXPECT_TRUE(logic.observe(t0 + 5s, true, std::nullopt));
  EXPECT_EQ(watch(6s, 40s, true), 0) << "once per visit";
}

TEST_F(PresenceLogicTest, APasserByDoesNotRing) {
  EXPECT_EQ(watch(0s, 3s, true), 0);
  EXPECT_EQ(watch(4s, 10s, false), 0);
  EXPECT_EQ(watch(11s, 14s, true), 0) << "a new visit starts the dwell time again";
}

TEST_F(PresenceLogicTest, AMissedDetectionWithinTheGapDoesNotEndTheVisit) {
  EXPECT_EQ(watch(0s, 2s, true), 0);
  EXPECT_FALSE(logic.observe(t0 + 3s, false, std::nullopt));  // the detector missed a frame
  EXPECT_FALSE(logic.observe(t0 + 4s, true, std::nullopt));
  EXPECT_TRUE(logic.observe(t0 + 5s, true, std::nullopt));
}

TEST_F(PresenceLogicTest, AVisitorWhoRangIsNotReportedAgain) {
  EXPECT_EQ(watch(0s, 2s, true), 0);
  const auto rang = t0 + 2s;
  EXPECT_EQ(watch(3s, 30s, true, rang), 0);
  EXPECT_EQ(watch(31s, 40s, false, rang), 0);
  EXPECT_EQ(watch(41s, 46s, true, rang), 1) << "a ring before this visit does not count";
}

TEST_F(PresenceLogicTest, CooldownSpacesPresenceRingsAcrossVisits) {
  EXPECT_EQ(watch(0s, 5s, true), 1);
  EXPECT_EQ(watch(6s, 10s, false), 0);
  EXPECT_EQ(watch(11s, 50s, true), 0) << "a second visit within 60 s of the last presence ring";
  EXPECT_EQ(watch(51s, 70s, true), 1) << "the same visit rings once the cooldown is over";
}

}  // namespace
}  // namespace doorbell::trigger
