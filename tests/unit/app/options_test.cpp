#include "doorbell/app/options.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace doorbell {
namespace {

TEST(Options, DefaultsToRunWithoutAFile) {
  const auto o = parse_options({});
  EXPECT_EQ(o.action, Action::run);
  EXPECT_FALSE(o.config_file.has_value());
}

TEST(Options, ParsesConfigAndActions) {
  EXPECT_EQ(parse_options({"--config", "a.json"}).config_file, "a.json");
  EXPECT_EQ(parse_options({"--config=b.json"}).config_file, "b.json");
  EXPECT_EQ(parse_options({"-c", "c.json", "--check-config"}).action, Action::check_config);
  EXPECT_EQ(parse_options({"--print-config"}).action, Action::print_config);
  EXPECT_EQ(parse_options({"--version"}).action, Action::version);
  EXPECT_EQ(parse_options({"-h"}).action, Action::help);
  const auto check = parse_options({"-c", "d.json", "healthcheck", "--ready"});
  EXPECT_EQ(check.action, Action::healthcheck);
  EXPECT_EQ(check.config_file, "d.json");
  EXPECT_EQ(check.command, std::vector<std::string>{"--ready"});
}

TEST(Options, RejectsUnknownAndIncompleteOptions) {
  EXPECT_THROW(parse_options({"--frobnicate"}), std::invalid_argument);
  EXPECT_THROW(parse_options({"--config"}), std::invalid_argument);
}

}  // namespace
}  // namespace doorbell
