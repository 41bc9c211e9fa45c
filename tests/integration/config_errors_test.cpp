// Bad configuration makes the real binary exit with code 2 and a message naming the key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::testing {
namespace {

using ::testing::HasSubstr;

struct BadConfig {
  const char* name;
  const char* file;          // content of the configuration file
  const char* env;           // extra environment, or ""
  const char* must_mention;  // in the error message
};

void PrintTo(const BadConfig& c, std::ostream* os) {
  *os << c.name;
}

class BadConfigTest : public ::testing::TestWithParam<BadConfig> {};

TEST_P(BadConfigTest, ExitsWithCode2NamingTheKey) {
  TempDir dir;
  const auto file = dir.write("bad.json", GetParam().file);
  std::vector<std::string> env;
  if (*GetParam().env != '\0') env.emplace_back(GetParam().env);
  for (const char* mode : {"--check-config", ""}) {
    std::vector<std::string> argv{DOORBELLD_BINARY, "--config", file.string()};
    if (*mode != '\0') argv.emplace_back(mode);
    const auto result = run_command(argv, env, {}, std::chrono::seconds(10));
    EXPECT_EQ(result.exit_code, 2) << mode << ": " << result.output;
    EXPECT_THAT(result.output, HasSubstr(GetParam().must_mention)) << mode;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Files, BadConfigTest,
    ::testing::Values(
        BadConfig{"UnknownKey", R"({"http": {"prot": 80}})", "", "unknown key \"http.prot\""},
        BadConfig{"UnknownSection", R"({"kamera": {}})", "", "unknown key \"kamera\""},
        BadConfig{"WrongType", R"({"http": {"port": "80"}})", "",
                  "http.port: expected an integer from 1 to 65535"},
        BadConfig{"OutOfRange", R"({"http": {"threads": 1000}})", "",
                  "http.threads: expected an integer from 1 to 64"},
        BadConfig{"BadEnum", R"({"log": {"format": "xml"}})", "",
                  "log.format: expected one of \"text\", \"json\""},
        BadConfig{"Malformed", "{\n\"http\": {\n\"port\": 80\n}", "", "malformed JSON"},
        BadConfig{"MalformedLine", "{\n\"http\": {\n\"port\": 80,\n}\n}", "", "line 4"},
        BadConfig{"BadEnvironment", "{}", "DOORBELL_HTTP_PORT=http", "DOORBELL_HTTP_PORT (http.port)"},
        BadConfig{"MissingTokenFile", R"({"http": {"api_token_file": "/nonexistent/token"}})", "",
                  "http.api_token_file: cannot read"},
        BadConfig{"MalformedWebhookUrl", R"({"webhook": {"url": "hooks.example.com/door"}})",
                  "DOORBELL_WEBHOOK_SECRET=s", "webhook.url: expected an http:// or https:// URL"},
        BadConfig{"WebhookWithoutSecret", R"({"webhook": {"url": "https://hooks.example.com/door"}})", "",
                  "webhook.secret: required when webhook.url is set"},
        BadConfig{"TelegramWithoutToken", R"({"telegram": {"chat_id": "42"}})", "",
                  "telegram.bot_token: required when telegram.chat_id is set"},
        BadConfig{"BadKinds", R"({"mqtt": {"host": "broker", "kinds": "known,friends"}})", "",
                  "mqtt.kinds: expected a comma-separated list"},
        BadConfig{"BadQuietHours", R"({"notify": {"quiet_hours": "10pm-7am"}})", "",
                  "notify.quiet_hours: expected local \"HH:MM-HH:MM\""}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(BadConfigFile, UnreadableFileIsNamed) {
  const auto result = run_command({DOORBELLD_BINARY, "--config", "/nonexistent/doorbelld.json"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.output, HasSubstr("/nonexistent/doorbelld.json: cannot read configuration file"));
}

TEST(BadConfigFile, UnopenableLogFileStopsStartUp) {
  TempDir dir;
  const auto file = dir.write("bad.json", R"({"log": {"file": "/dev/null/doorbelld.log"}})");
  const auto result = run_command({DOORBELLD_BINARY, "--config", file.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.output, HasSubstr("log.file: cannot open \"/dev/null/doorbelld.log\""));
}

}  // namespace
}  // namespace doorbell::testing
