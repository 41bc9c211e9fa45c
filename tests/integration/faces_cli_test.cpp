// `doorbelld faces ...` through the real binary, real models, real SQLite file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

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

// The package's layout: /var/lib/doorbelld belongs to the service's user, and an operator runs the CLI
// with sudo. Here the data directory belongs to "nobody".
TEST(RootCli, OnADataDirectoryOfAnotherUserLeavesOnlyThatUsersFiles) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to act as another user";
  TempDir dir;
  std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));
  const auto data = dir.path() / "data";
  const auto backups = dir.path() / "backups";
  const auto models = dir.path() / "models";  // readable by nobody, wherever the repository is
  for (const auto& folder : {data, backups, models}) std::filesystem::create_directories(folder);
  const auto source = recognition_config();
  for (const auto& model : {source.resnet_model, source.landmarks_model}) {
    std::filesystem::copy_file(model, models / std::filesystem::path(model).filename());
  }
  const uid_t nobody = 65534;
  ASSERT_EQ(::chown(data.c_str(), nobody, nobody), 0);
  ASSERT_EQ(::chown(backups.c_str(), nobody, nobody), 0);
  const auto config = dir.write(
      "doorbelld.json",
      nlohmann::json{{"storage", {{"data_dir", data.string()}}},
                     {"recognition",
                      {{"resnet_model", (models / "dlib_face_recognition_resnet_model_v1.dat").string()},
                       {"landmarks_model", (models / "shape_predictor_68_face_landmarks.dat").string()}}}}
          .dump());
  const auto cli = [&](std::vector<std::string> args,
                       const std::optional<std::filesystem::path>& input = {}) {
    args.insert(args.begin(), {DOORBELLD_BINARY, "--config", config.string()});
    return run_command(args, {}, input, std::chrono::seconds(120));
  };
  auto r = cli({"faces", "add", "Dana", portrait(2).string()});  // the portrait is read as root
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("acting as nobody, the owner of " + data.string()));
  r = cli({"user", "add", "dana"}, dir.write("password", "a good long password\n"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = cli({"backup", (backups / "doorbelld.db").string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = cli({"db", "check"});
  ASSERT_EQ(r.exit_code, 0) << r.output;

  std::vector<std::string> root_owned;
  std::size_t files = 0;
  for (const auto& folder : {data, backups}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
      struct stat st {};
      ASSERT_EQ(::lstat(entry.path().c_str(), &st), 0);
      ++files;
      if (st.st_uid != nobody) root_owned.push_back(entry.path().string());
    }
  }
  EXPECT_GE(files, 4u) << "the database, a face image and its folder, the backup";
  EXPECT_THAT(root_owned, ::testing::IsEmpty());
}

}  // namespace
}  // namespace doorbell::testing
