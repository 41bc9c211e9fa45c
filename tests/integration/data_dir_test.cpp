// The real daemon's claim on its data directory: one daemon at a time, and what a crash left swept.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/daemon.hpp"

namespace doorbell::testing {
namespace {

using ::testing::HasSubstr;

TEST(DataDir, FaceImagesLeftByACrashAreSweptAtStartAndASecondDaemonIsRefused) {
  TempDir dir;
  const auto data = dir.path() / "data";
  auto config = kWithoutRecognition;
  config["storage"] = {{"data_dir", data.string()}};
  {
    RunningDaemon earlier(config);  // the database of an earlier run
    ASSERT_TRUE(earlier.wait_for_status("/api/health", 200)) << earlier.process().output();
  }
  const auto orphan = data / "faces" / "5" / "17.jpg";  // as kill -9 in the middle of an enrollment
  std::filesystem::create_directories(orphan.parent_path());
  std::ofstream(orphan) << "a face crop";
  std::filesystem::last_write_time(orphan,
                                   std::filesystem::file_time_type::clock::now() - std::chrono::minutes(1));

  RunningDaemon first(config);
  ASSERT_TRUE(first.wait_for_status("/api/health", 200)) << first.process().output();
  EXPECT_FALSE(std::filesystem::exists(orphan));
  EXPECT_THAT(first.process().output(), HasSubstr("1 file(s) without a row removed"));

  RunningDaemon second(config);
  EXPECT_EQ(second.process().wait_exit(std::chrono::seconds(20)), 1);
  EXPECT_THAT(second.process().output(),
              HasSubstr("doorbelld (pid " + std::to_string(first.process().pid()) + ") is running on"));
  EXPECT_EQ(first.client().Get("/api/health")->status, 200) << "the first is untouched";
}

}  // namespace
}  // namespace doorbell::testing
