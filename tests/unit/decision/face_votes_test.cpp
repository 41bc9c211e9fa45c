#include "doorbell/decision/face_votes.hpp"

#include <gtest/gtest.h>

namespace doorbell::decision {
namespace {

model::Face face_at(int axis_index, float value, int width = 100) {
  model::Face f;
  f.descriptor[static_cast<std::size_t>(axis_index)] = value;
  f.box = {0, 0, width, width};
  return f;
}

class FaceVotesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<model::Descriptor> alice{face_at(0, 1.0f).descriptor};
    const std::vector<model::Descriptor> mallory{face_at(1, 1.0f).descriptor};
    gallery.add({1, "Alice", model::PersonKind::known}, alice);
    gallery.add({2, "Mallory", model::PersonKind::blacklist}, mallory);
  }
  model::GalleryIndex gallery;
  model::MatchPolicy policy{0.6, 0.04};
};

TEST_F(FaceVotesTest, OnePersonAcrossFramesIsOneDecisionWithVotes) {
  const std::vector<std::vector<model::Face>> frames{
      {face_at(0, 0.9f, 80)}, {face_at(0, 0.95f, 120)}, {face_at(0, 0.2f)}};
  const auto visitors = vote_faces(frames, gallery, policy);
  ASSERT_EQ(visitors.size(), 2u) << "the third face is too far from the others to be the same person";
  EXPECT_EQ(visitors[0].verdict, model::Verdict::known);
  EXPECT_EQ(visitors[0].person->name, "Alice");
  EXPECT_EQ(visitors[0].frames, 2u);
  EXPECT_EQ(visitors[0].votes, 2u);
  EXPECT_EQ(visitors[0].best_frame, 1u) << "largest face";
  EXPECT_NEAR(visitors[0].distance, 0.05, 1e-6);
  EXPECT_EQ(visitors[1].verdict, model::Verdict::unknown);
  EXPECT_FALSE(visitors[1].person.has_value());
}

TEST_F(FaceVotesTest, TwoFacesInOneFrameAreTwoPeopleEvenWhenAlike) {
  const std::vector<std::vector<model::Face>> frames{{face_at(0, 0.9f), face_at(0, 0.95f)}};
  EXPECT_EQ(vote_faces(frames, gallery, policy).size(), 2u);
}

TEST_F(FaceVotesTest, MajorityWinsAndTiesGoToTheBlacklist) {
  // Halfway between Alice and Mallory, nudged either way: one frame each.
  model::Face towards_alice = face_at(0, 0.75f);
  towards_alice.descriptor[1] = 0.5f;
  model::Face towards_mallory = face_at(1, 0.75f);
  towards_mallory.descriptor[0] = 0.5f;
  const std::vector<std::vector<model::Face>> frames{{towards_alice}, {towards_mallory}};
  const auto visitors = vote_faces(frames, gallery, policy);
  ASSERT_EQ(visitors.size(), 1u);
  EXPECT_EQ(visitors[0].verdict, model::Verdict::blacklisted);
  EXPECT_EQ(visitors[0].votes, 1u);
  EXPECT_EQ(visitors[0].frames, 2u);
}

TEST_F(FaceVotesTest, TheBoxComesFromASightingThatAgreesWithTheVerdict) {
  // Two sightings of Alice and a larger face 0.58 from the first one (so grouped with it) but 0.63 from
  // Alice's sample (so not her): the box is Alice's.
  const model::Face stranger = face_at(0, 0.37f, 300);
  const std::vector<std::vector<model::Face>> frames{
      {face_at(0, 0.95f, 90)}, {face_at(0, 0.9f, 100)}, {stranger}};
  const auto visitors = vote_faces(frames, gallery, policy);
  ASSERT_EQ(visitors.size(), 1u);
  EXPECT_EQ(visitors[0].verdict, model::Verdict::known);
  EXPECT_EQ(visitors[0].box.width, 100);
  EXPECT_EQ(visitors[0].best_frame, 1u);
}

TEST_F(FaceVotesTest, FacesThatFailedTheGateAreIgnored) {
  model::Face blurry = face_at(0, 1.0f);
  blurry.quality.problem = "too blurry";
  const std::vector<std::vector<model::Face>> frames{{blurry}, {}};
  EXPECT_TRUE(vote_faces(frames, gallery, policy).empty());
}

}  // namespace
}  // namespace doorbell::decision
