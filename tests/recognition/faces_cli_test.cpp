// `doorbelld faces ...` through the real binary, real models, real SQLite file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/models.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::testing {
namespace {

using ::testing::HasSubstr;

class FacesCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto models = recognition_config();
    config = dir.write(
        "doorbelld.json",
        nlohmann::json{{"storage", {{"data_dir", (dir.path() / "data").string()}}},
                       {"recognition",
                        {{"resnet_model", models.resnet_model}, {"landmarks_model", models.landmarks_model}}}}
            .dump());
  }
  CommandResult faces(std::vector<std::string> args) {
    args.insert(args.begin(), {DOORBELLD_BINARY, "--config", config.string(), "faces"});
    return run_command(args, {}, {}, std::chrono::seconds(120));
  }
  TempDir dir;
  std::filesystem::path config;
};

TEST_F(FacesCliTest, EnrollIdentifyListRemove) {
  auto r = faces({"add", "Dana", portrait(2).string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("enrolled Dana"));

  r = faces({"identify", portrait(2).string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("known Dana distance 0.0"));

  r = faces({"identify", "--json", portrait(6).string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::istringstream lines(r.output);
  int faces_seen = 0;
  for (std::string line; std::getline(lines, line); ++faces_seen) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_NE(j["result"], "known") << "nobody in sample6 is Dana: " << line;
    EXPECT_TRUE(j.contains("box"));
  }
  EXPECT_GE(faces_seen, 4);

  r = faces({"list", "--json"});
  EXPECT_EQ(nlohmann::json::parse(r.output)["samples"], 1);
  r = faces({"remove", "Dana"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = faces({"remove", "Dana"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("no person named \"Dana\""));
}

TEST_F(FacesCliTest, ErrorsExitNonZeroWithTheReason) {
  auto r = faces({"add", "Group", portrait(1).string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("several_faces"));
  r = faces({"blacklist", "X", config.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("not_an_image"));
  r = faces({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  r = faces({"list"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.output, ::testing::Not(HasSubstr("Group")));
}

TEST_F(FacesCliTest, EvalSuggestsAThreshold) {
  // Two "people": sample2's face, and sample6's largest face, each with an augmented second picture.
  for (const auto& [person, n] : std::vector<std::pair<std::string, int>>{{"dana", 2}, {"finn", 6}}) {
    std::filesystem::create_directories(dir.path() / "eval" / person);
    std::filesystem::copy(portrait(n), dir.path() / "eval" / person / "a.jpg");
  }
  auto r = faces({"eval", "--json", (dir.path() / "eval").string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto report = nlohmann::json::parse(r.output);
  EXPECT_EQ(report["people"], 2);
  EXPECT_EQ(report["different_people"]["pairs"], 1);
  EXPECT_GT(report["different_people"]["min"].get<double>(), 0.6);
}

}  // namespace
}  // namespace doorbell::testing
