#include "doorbell/storage/face_outcome_json.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace doorbell::storage {
namespace {

bool same(const model::FaceOutcome& a, const model::FaceOutcome& b) {
  const auto same_visitor =
      a.visitor.has_value() == b.visitor.has_value() &&
      (!a.visitor || (a.visitor->visitor_id == b.visitor->visitor_id && a.visitor->seen == b.visitor->seen &&
                      a.visitor->ignored == b.visitor->ignored));
  return a.verdict == b.verdict && a.name == b.name && a.distance == b.distance && a.votes == b.votes &&
         a.frames == b.frames && a.box.x == b.box.x && a.box.y == b.box.y && a.box.width == b.box.width &&
         a.box.height == b.box.height && same_visitor && a.corrected == b.corrected;
}

TEST(FaceOutcomeJson, EveryFieldReadsBackAsItWasWritten) {
  const std::vector<model::FaceOutcome> faces{
      {model::Verdict::known, "Ann", 0.31, 3, 4, {10, 20, 90, 91}, std::nullopt, false},
      {model::Verdict::unknown, "", 0.7, 2, 2, {1, 2, 3, 4}, model::Sighting{7, 5, true}, false},
      {model::Verdict::unknown, "", std::numeric_limits<double>::infinity(), 1, 1, {}, std::nullopt, false},
      {model::Verdict::blacklisted, "Eve", 0.2, 1, 1, {}, std::nullopt, true},
      {model::Verdict::unknown, "", 0.5, 1, 1, {}, model::Sighting{8, 0, false}, true}};
  const auto json = faces_json(faces);
  const auto back = faces_from_json(nlohmann::json::parse(json.dump()));  // through text, as stored
  ASSERT_EQ(back.size(), faces.size());
  for (std::size_t i = 0; i < faces.size(); ++i) EXPECT_TRUE(same(back[i], faces[i])) << "face " << i;
  EXPECT_TRUE(json[2]["distance"].is_null()) << "nobody to compare with: null, as JSON has no infinity";
  EXPECT_FALSE(json[0].contains("visitor"));
  EXPECT_FALSE(json[4]["visitor"].contains("seen")) << "a correction does not count visits";
  EXPECT_EQ(json[1]["result"], "unknown");
}

TEST(FaceOutcomeJson, AnOlderRecordsMissingFieldsTakeTheirDefaults) {
  const auto faces = faces_from_json(nlohmann::json::parse(
      R"([{"result": "known", "name": "Ann"}, {"result": "rejected", "visitor": {"id": 3}}])"));
  ASSERT_EQ(faces.size(), 2u);
  EXPECT_EQ(faces[0].verdict, model::Verdict::known);
  EXPECT_EQ(faces[0].votes, 0u);
  EXPECT_EQ(faces[0].distance, std::numeric_limits<double>::infinity());
  EXPECT_EQ(faces[1].verdict, model::Verdict::unknown) << "a result no verdict has";
  ASSERT_TRUE(faces[1].visitor);
  EXPECT_EQ(faces[1].visitor->visitor_id, 3);
  EXPECT_FALSE(faces[1].visitor->ignored);
}

}  // namespace
}  // namespace doorbell::storage
