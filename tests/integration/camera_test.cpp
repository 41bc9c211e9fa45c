// The cameras the daemon is given, as the household configures them (docs/configuration.md, camera.*).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/daemon.hpp"
#include "support/free_port.hpp"
#include "support/poll.hpp"
#include "support/process.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// An IP doorbell's stream with its password in the URL (as Reolink, Amcrest and Hikvision document them),
// here on a port where nothing answers: the error is shown and logged, the password never.
TEST(CameraSource, APasswordInItsUrlIsNeitherLoggedNorShownNorPrinted) {
  const auto source = "rtsp://admin:hunter2@127.0.0.1:" + std::to_string(free_port()) + "/h264";
  json config{{"camera", {{"source", source}, {"reconnect_max_seconds", 1}}}};
  config.merge_patch(kWithoutRecognition);
  RunningDaemon daemon(config);
  ASSERT_TRUE(daemon.wait_for_status("/api/health", 200)) << daemon.process().output();
  std::string detail;
  ASSERT_TRUE(eventually(
      [&] {
        const auto ready = daemon.anonymous_client().Get("/api/ready");  // open to anyone on the LAN
        if (!ready) return false;
        detail = json::parse(ready->body)["components"]["camera"].value("detail", "");
        return detail.find("cannot open camera source") != std::string::npos;
      },
      std::chrono::seconds(20), std::chrono::milliseconds(100)))
      << detail;
  EXPECT_THAT(detail, HasSubstr("rtsp://admin:***@127.0.0.1:"));
  EXPECT_THAT(detail, Not(HasSubstr("hunter2")));
  EXPECT_THAT(daemon.process().output(), HasSubstr("cannot open camera source"));
  EXPECT_THAT(daemon.process().output(), Not(HasSubstr("hunter2"))) << "the log";
  const auto printed = run_command({DOORBELLD_BINARY, "--config", daemon.config_file(), "--print-config"});
  EXPECT_EQ(printed.exit_code, 0) << printed.output;
  EXPECT_THAT(printed.output, HasSubstr("rtsp://admin:***@127.0.0.1:"));
  EXPECT_THAT(printed.output, Not(HasSubstr("hunter2")));
}

}  // namespace
}  // namespace doorbell::testing
