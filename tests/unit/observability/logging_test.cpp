#include "doorbell/observability/logging.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/details/log_msg.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "doorbell/observability/span_context.hpp"
#include "support/temp_dir.hpp"

namespace doorbell {
namespace {

using ::testing::HasSubstr;

std::string format(std::string_view format_name, std::string_view text, spdlog::level::level_enum level) {
  const spdlog::details::log_msg msg("doorbelld", level, spdlog::string_view_t(text.data(), text.size()));
  spdlog::memory_buf_t out;
  make_log_formatter(format_name)->format(msg, out);
  return fmt::to_string(out);
}

TEST(JsonLogFormat, OneValidObjectPerLineWithEscaping) {
  const auto line = format("json", "a \"quoted\"\nline\twith\\ and \x01", spdlog::level::warn);
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "exactly one line";
  const auto obj = nlohmann::json::parse(line);
  EXPECT_EQ(obj["message"], "a \"quoted\"\nline\twith\\ and \x01");
  EXPECT_EQ(obj["level"], "warning");
  EXPECT_EQ(obj["logger"], "doorbelld");
  EXPECT_TRUE(obj["thread"].is_number_integer());
  EXPECT_THAT(obj["time"].get<std::string>(),
              ::testing::MatchesRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$"));
}

TEST(JsonLogFormat, LinesWrittenInsideASpanNameItsTraceAndSpan) {
  EXPECT_FALSE(nlohmann::json::parse(format("json", "outside", spdlog::level::info)).contains("trace_id"));
  const auto context = parse_traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  ScopedSpanContext in_span(context);
  const auto obj = nlohmann::json::parse(format("json", "inside", spdlog::level::info));
  EXPECT_EQ(obj["trace_id"], "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(obj["span_id"], "b7ad6b7169203331");
  EXPECT_EQ(obj["message"], "inside");
}

TEST(TextLogFormat, HasLevelAndMessage) {
  const auto line = format("text", "hello", spdlog::level::info);
  EXPECT_THAT(line, HasSubstr("info"));
  EXPECT_THAT(line, HasSubstr("hello"));
}

class LoggingSetupTest : public ::testing::Test {
 protected:
  void TearDown() override { spdlog::set_default_logger(previous_); }
  std::shared_ptr<spdlog::logger> previous_ = spdlog::default_logger();
  testing::TempDir dir;
};

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_F(LoggingSetupTest, FileLoggingHonoursLevelAndReload) {
  LogConfig config;
  config.file = (dir.path() / "doorbelld.log").string();
  config.level = "info";
  setup_logging(config);
  spdlog::debug("hidden at info");
  spdlog::info("shown at info");
  config.level = "debug";
  config.format = "json";
  apply_log_settings(config);
  spdlog::debug("shown after reload");
  const auto text = read(config.file);
  EXPECT_THAT(text, ::testing::Not(HasSubstr("hidden at info")));
  EXPECT_THAT(text, HasSubstr("shown at info"));
  EXPECT_THAT(text, HasSubstr("\"message\":\"shown after reload\""));
}

TEST_F(LoggingSetupTest, UnopenableFileNamesTheKey) {
  LogConfig config;
  config.file = "/dev/null/doorbelld.log";  // spdlog creates missing directories, but not under a file
  EXPECT_THAT([&] { setup_logging(config); },
              ::testing::ThrowsMessage<std::runtime_error>(HasSubstr("log.file: cannot open")));
}

}  // namespace
}  // namespace doorbell
