#include "doorbell/app/cli_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/environment.hpp"
#include "support/temp_dir.hpp"

namespace doorbell {
namespace {

using ::testing::HasSubstr;

using testing::env_of;

TEST(CliConfig, AGivenFileIsUsedAsItIs) {
  const auto choice = choose_cli_config("mine.json", env_of({}), "/nonexistent/doorbelld.json");
  EXPECT_EQ(choice.file, "mine.json");
  EXPECT_TRUE(choice.notice.empty());
  EXPECT_TRUE(choice.refusal.empty());
}

TEST(CliConfig, WithoutOneTheInstalledFileIsUsedAndNamed) {
  testing::TempDir dir;
  const auto installed = dir.write("doorbelld.json", "{}");
  const auto choice = choose_cli_config(std::nullopt, env_of({}), installed);
  EXPECT_EQ(choice.file, installed);
  EXPECT_THAT(choice.notice, HasSubstr(installed.string()));
  EXPECT_TRUE(choice.refusal.empty());
}

TEST(CliConfig, WithNeitherItRefusesNamingWhatItWouldUse) {
  const auto choice = choose_cli_config(std::nullopt, env_of({}), "/nonexistent/doorbelld.json");
  EXPECT_FALSE(choice.file);
  EXPECT_THAT(choice.refusal, HasSubstr("--config FILE"));
  EXPECT_THAT(choice.refusal, HasSubstr("/nonexistent/doorbelld.json does not exist"));
  EXPECT_THAT(choice.refusal, HasSubstr("/var/lib/doorbelld"));
}

TEST(CliConfig, ADataDirectoryNamedInTheEnvironmentIsEnough) {
  const auto choice = choose_cli_config(std::nullopt, env_of({{"DOORBELL_STORAGE_DATA_DIR", "/tmp/x"}}),
                                        "/nonexistent/doorbelld.json");
  EXPECT_FALSE(choice.file);
  EXPECT_TRUE(choice.refusal.empty());
}

}  // namespace
}  // namespace doorbell
