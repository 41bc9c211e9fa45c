#include "doorbell/decision/ring_decision.hpp"

#include <gtest/gtest.h>

#include "support/descriptors.hpp"

namespace doorbell::decision {
namespace {

using model::EventKind;
using model::Verdict;

model::Face face(const model::Descriptor& d, int width = 100) {
  model::Face f;
  f.descriptor = d;
  f.box = {10, 20, width, width};
  f.quality.width_px = width;
  return f;
}

// A descriptor on axis `who` (people are 1.4 apart), `spread` off it (views of one person).
model::Descriptor axis(int who, float spread = 0.0f) {
  return testing::descriptor_of(who, spread, 1.0f);
}

// Hand-made descriptors: Alice (axis 0) and Bob (axis 1) are family, Mallory (axis 2) is on the blacklist;
// a face 0.3 from Alice is "not Alice" (a negative someone gave).
class RingDecisionTest : public ::testing::Test {
 protected:
  RingDecisionTest() {
    const std::vector<model::Descriptor> alice{axis(0)}, bob{axis(1)}, mallory{axis(2)};
    const std::vector<model::Descriptor> not_alice{axis(0, 0.3f)};
    gallery.add({1, "Alice", model::PersonKind::known}, alice, not_alice);
    gallery.add({2, "Bob", model::PersonKind::known}, bob);
    gallery.add({3, "Mallory", model::PersonKind::blacklist}, mallory);
  }

  Decision decide_frames(const std::vector<std::vector<model::Face>>& frames, bool camera_down = false) {
    return decide({frames, camera_down}, gallery, {clusters, true}, rules);
  }

  model::GalleryIndex gallery;
  std::vector<model::Visitor> clusters;
  Rules rules{{0.6, 0.04}, 0.4};
};

TEST_F(RingDecisionTest, OnePersonVotedAcrossFramesIsKnownWithTheirName) {
  const auto d = decide_frames({{face(axis(0, 0.1f), 80)}, {face(axis(0, 0.05f), 120)}, {}});
  EXPECT_EQ(d.kind, EventKind::known);
  ASSERT_EQ(d.people.size(), 1u);
  const auto& o = d.people[0].outcome;
  EXPECT_EQ(o.verdict, Verdict::known);
  EXPECT_EQ(o.name, "Alice");
  EXPECT_EQ(o.frames, 2u);
  EXPECT_EQ(o.votes, 2u);
  EXPECT_NEAR(o.distance, 0.05, 1e-6) << "the best of the frames";
  EXPECT_EQ(o.box.width, 120) << "where the face was largest";
  EXPECT_EQ(d.snapshot_frame, 1u) << "the frame of that face";
  EXPECT_FALSE(o.visitor) << "family never joins a visitor cluster";
}

TEST_F(RingDecisionTest, TheBlacklistWinsTheEventOverFamilyAtTheDoorWithThem) {
  const auto d = decide_frames({{face(axis(0)), face(axis(2, 0.1f))}});
  EXPECT_EQ(d.kind, EventKind::blacklisted);
  ASSERT_EQ(d.people.size(), 2u) << "two faces in one frame are two people";
  EXPECT_EQ(d.people[1].outcome.name, "Mallory");
  EXPECT_FALSE(d.people[1].outcome.visitor);
}

TEST_F(RingDecisionTest, ATiedVoteGoesToTheBlacklist) {
  // One frame says Mallory, one says a stranger: the same face (within the threshold of each other).
  auto near_mallory = axis(2);
  near_mallory[3] = 0.5f;  // 0.5 from Mallory: within 0.6
  auto stranger = axis(2);
  stranger[3] = 0.65f;  // 0.65 from Mallory, 0.15 from the other view
  const auto d = decide_frames({{face(near_mallory)}, {face(stranger)}});
  ASSERT_EQ(d.people.size(), 1u);
  EXPECT_EQ(d.people[0].outcome.verdict, Verdict::blacklisted);
  EXPECT_EQ(d.people[0].outcome.votes, 1u);
  EXPECT_EQ(d.kind, EventKind::blacklisted);
}

TEST_F(RingDecisionTest, AFaceNearerToANegativeIsNeverThatPerson) {
  const auto d = decide_frames({{face(axis(0, 0.32f))}});
  ASSERT_EQ(d.people.size(), 1u);
  EXPECT_EQ(d.people[0].outcome.verdict, Verdict::unknown) << "0.02 from 'not Alice', 0.32 from Alice";
  EXPECT_EQ(d.kind, EventKind::unknown);
}

TEST_F(RingDecisionTest, AStrangerStartsAVisitorOrJoinsTheNearestWithinTheThreshold) {
  const auto first = decide_frames({{face(axis(5))}});
  ASSERT_EQ(first.people.size(), 1u);
  EXPECT_EQ(first.people[0].placement.kind, Placement::Kind::new_visitor);
  ASSERT_TRUE(first.people[0].outcome.visitor);
  EXPECT_EQ(first.people[0].outcome.visitor->seen, 1);

  clusters = {{7, false, false, 1, {axis(6)}}, {9, false, false, 4, {axis(5, 0.3f)}}};
  const auto again = decide_frames({{face(axis(5, 0.1f))}});
  ASSERT_EQ(again.people[0].placement.kind, Placement::Kind::join);
  EXPECT_EQ(again.people[0].placement.cluster, 1u);
  EXPECT_EQ(again.people[0].outcome.visitor->visitor_id, 9);
  EXPECT_EQ(again.people[0].outcome.visitor->seen, 5);
  EXPECT_EQ(again.kind, EventKind::unknown);

  rules.visitor_threshold = 0.1;
  EXPECT_EQ(decide_frames({{face(axis(5, 0.1f))}}).people[0].placement.kind, Placement::Kind::new_visitor)
      << "0.2 away is not within 0.1";
}

TEST_F(RingDecisionTest, ThePostmanIgnoredIsNeverTakenForFamilyHeIsNearerTo) {
  clusters = {{4, true, false, 12, {axis(0, 0.45f)}}};
  const auto d = decide_frames({{face(axis(0, 0.5f))}});  // 0.5 from Alice, 0.05 from the postman
  ASSERT_EQ(d.people.size(), 1u);
  const auto& o = d.people[0].outcome;
  EXPECT_EQ(o.verdict, Verdict::unknown);
  EXPECT_EQ(o.name, "");
  EXPECT_FALSE(d.people[0].vote.person);
  ASSERT_TRUE(o.visitor);
  EXPECT_EQ(o.visitor->visitor_id, 4);
  EXPECT_TRUE(o.visitor->ignored);
  EXPECT_EQ(d.kind, EventKind::ignored);

  const auto alice = decide_frames({{face(axis(0, 0.1f))}});  // nearer to Alice than to the postman
  EXPECT_EQ(alice.kind, EventKind::known);
  EXPECT_FALSE(alice.people[0].outcome.visitor);
}

TEST_F(RingDecisionTest, AnIgnoredVisitorWithAStrangerIsNotIgnored) {
  clusters = {{4, true, false, 12, {axis(5)}}};
  EXPECT_EQ(decide_frames({{face(axis(5))}}).kind, EventKind::ignored);
  EXPECT_EQ(decide_frames({{face(axis(5)), face(axis(6))}}).kind, EventKind::unknown);
}

TEST_F(RingDecisionTest, TheBlacklistIsNeverOverruledByAnIgnoredVisitor) {
  clusters = {{4, true, false, 12, {axis(2)}}};
  const auto d = decide_frames({{face(axis(2, 0.2f))}});
  EXPECT_EQ(d.kind, EventKind::blacklisted);
  EXPECT_EQ(d.people[0].placement.kind, Placement::Kind::none);
}

TEST_F(RingDecisionTest, FacesThatFailedTheGateAreNotPeople) {
  auto blurred = face(axis(0));
  blurred.quality.problem = "blurred";
  const auto d = decide_frames({{blurred}, {}});
  EXPECT_EQ(d.kind, EventKind::no_face);
  EXPECT_TRUE(d.people.empty());
  EXPECT_EQ(d.snapshot_frame, 1u) << "the newest frame still shows the doorstep";
}

TEST_F(RingDecisionTest, NoFrameFromACameraIsCameraUnavailable) {
  const auto d = decide_frames({}, true);
  EXPECT_EQ(d.kind, EventKind::camera_unavailable);
  EXPECT_TRUE(d.people.empty());
  EXPECT_EQ(decide_frames({}).kind, EventKind::no_face) << "no camera configured: nobody to see";
}

TEST_F(RingDecisionTest, FamiliarFacesThatCannotBeReadPlaceNoFace) {
  const std::vector<std::vector<model::Face>> frames{{face(axis(5))}};
  const auto d = decide({frames, false}, gallery, {{}, false}, rules);
  ASSERT_EQ(d.people.size(), 1u);
  EXPECT_EQ(d.people[0].placement.kind, Placement::Kind::none);
  EXPECT_FALSE(d.people[0].outcome.visitor);
  EXPECT_EQ(d.kind, EventKind::unknown);
}

}  // namespace
}  // namespace doorbell::decision
