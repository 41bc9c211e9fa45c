// The example configuration and docs/configuration.md must document every key, with the built-in defaults.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "doorbell/config/loader.hpp"

namespace doorbell {
namespace {

const std::filesystem::path kSource = DOORBELL_SOURCE_DIR;

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<std::string> no_env(const std::string&) {
  return std::nullopt;
}

TEST(ConfigDocumentation, ExampleFileSetsEveryKeyToItsDefault) {
  const auto example = kSource / "config/doorbelld.example.json";
  const auto config = load_config(example, no_env);
  EXPECT_EQ(to_masked_json(config), to_masked_json(Config{}));
  const auto parsed = nlohmann::json::parse(read(example), nullptr, true, true);
  for (const auto& key : config_keys()) {
    const auto dot = key.find('.');
    EXPECT_TRUE(parsed[key.substr(0, dot)].contains(key.substr(dot + 1))) << key << " is not in " << example;
  }
}

TEST(ConfigDocumentation, ReferenceDocumentsEveryKeyAndItsEnvironmentVariable) {
  const auto reference = read(kSource / "docs/configuration.md");
  for (const auto& key : config_keys()) {
    EXPECT_THAT(reference, ::testing::HasSubstr("`" + key + "`")) << key;
  }
  EXPECT_THAT(reference, ::testing::HasSubstr("DOORBELL_<SECTION>_<KEY>"));
}

TEST(ConfigDocumentation, DemoConfigurationIsValid) {
  EXPECT_NO_THROW(load_config(kSource / "config/demo.json", no_env));
}

}  // namespace
}  // namespace doorbell
