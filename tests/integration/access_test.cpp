// Who may call what, against the real daemon: every route of the route table with every kind of
// credential, logins and their sessions, throttling, and `doorbelld user`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <map>
#include <mutex>
#include <regex>
#include <thread>

#include "doorbell/api/daemon_routes.hpp"
#include "doorbell/http/route_table.hpp"
#include "support/daemon.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kAdmin = "admin-token-0123456789";
constexpr const char* kViewer = "viewer-token-0123456789";
constexpr const char* kScraper = "metrics-token-0123456789";

CommandResult user_command(const RunningDaemon& daemon, const std::vector<std::string>& args,
                           const std::string& input = "") {
  TempDir dir;
  const auto stdin_file = dir.write("stdin", input);
  std::vector<std::string> argv{DOORBELLD_BINARY, "--config", daemon.config_file(), "user"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, {}, stdin_file);
}

struct Login {
  std::string cookie;  // "doorbell_session=..."
  std::string csrf;
  std::string set_cookie;
};

std::optional<Login> login(const RunningDaemon& daemon, const std::string& user,
                           const std::string& password) {
  auto res = daemon.anonymous_client().Post("/api/login", json{{"user", user}, {"password", password}}.dump(),
                                            "application/json");
  if (!res || res->status != 200) return std::nullopt;
  const auto set_cookie = res->get_header_value("Set-Cookie");
  return Login{set_cookie.substr(0, set_cookie.find(';')), json::parse(res->body)["csrf_token"], set_cookie};
}

// A path that the route's pattern matches: "(\d+)" becomes 1, "(unknown|...)" its first choice, "\." a dot.
std::string sample_path(std::string_view pattern) {
  auto path = std::regex_replace(std::string(pattern), std::regex(R"(\(\\d\+\))"), "1");
  path = std::regex_replace(path, std::regex(R"(\(([a-z]+)\|[^)]*\))"), "$1");
  return std::regex_replace(path, std::regex(R"(\\\.)"), ".");
}

enum class Credential {
  none,
  wrong_token,
  viewer_token,
  admin_token,
  metrics_token,
  admin_session,
  admin_session_without_csrf,
  viewer_session
};

const char* name_of(Credential c) {
  switch (c) {
    case Credential::none:
      return "none";
    case Credential::wrong_token:
      return "wrong token";
    case Credential::viewer_token:
      return "viewer token";
    case Credential::admin_token:
      return "admin token";
    case Credential::metrics_token:
      return "metrics token";
    case Credential::admin_session:
      return "admin session";
    case Credential::admin_session_without_csrf:
      return "admin session without CSRF";
    case Credential::viewer_session:
      return "viewer session";
  }
  return "?";
}

// Whether a credential may call a route (the access model of the README, written out independently).
bool expect_allowed(const http::RouteSpec& route, Credential c) {
  using http::Access;
  const bool unsafe = route.method != "GET";
  switch (route.access) {
    case Access::open:
      return true;
    case Access::metrics:  // http.metrics_token is set in this test
      return c == Credential::metrics_token || c == Credential::admin_token ||
             c == Credential::admin_session || c == Credential::admin_session_without_csrf;
    case Access::viewer:
      return c == Credential::viewer_token || c == Credential::admin_token ||
             c == Credential::admin_session || c == Credential::viewer_session ||
             (c == Credential::admin_session_without_csrf && !unsafe);
    case Access::admin:
      return c == Credential::admin_token || c == Credential::admin_session ||
             (c == Credential::admin_session_without_csrf && !unsafe);
  }
  return false;
}

class AccessMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(daemon.wait_for_status("/api/ready", 200)) << daemon.process().output();
    ASSERT_EQ(user_command(daemon, {"add", "Dana"}, "dana-password\n").exit_code, 0);
    ASSERT_EQ(user_command(daemon, {"add", "Kid", "--role", "viewer"}, "kid-password\n").exit_code, 0);
  }

  RunningDaemon daemon{
      json{{"http", {{"api_token", kAdmin}, {"viewer_token", kViewer}, {"metrics_token", kScraper}}},
           {"auth", {{"max_failures", 1000}}}}};
};

TEST_F(AccessMatrixTest, EveryRouteAnswersEveryCredentialAsTheTableSays) {
  const auto dana = login(daemon, "Dana", "dana-password");
  const auto kid = login(daemon, "Kid", "kid-password");
  ASSERT_TRUE(dana && kid);
  // Logging out ends the session: do it last.
  std::vector<http::RouteSpec> routes(api::daemon_routes().begin(), api::daemon_routes().end());
  std::stable_partition(routes.begin(), routes.end(),
                        [](const auto& r) { return r.pattern != "/api/logout"; });

  int cells = 0;
  for (const auto credential :
       {Credential::none, Credential::wrong_token, Credential::viewer_token, Credential::metrics_token,
        Credential::admin_session_without_csrf, Credential::viewer_session, Credential::admin_token,
        Credential::admin_session}) {
    for (const auto& route : routes) {
      if (route.pattern == "/api/logout" && credential != Credential::admin_session) continue;  // once, last
      httplib::Headers headers;
      switch (credential) {
        case Credential::wrong_token:
          headers.emplace("Authorization", "Bearer not-the-token");
          break;
        case Credential::viewer_token:
          headers.emplace("Authorization", std::string("Bearer ") + kViewer);
          break;
        case Credential::admin_token:
          headers.emplace("Authorization", std::string("Bearer ") + kAdmin);
          break;
        case Credential::metrics_token:
          headers.emplace("Authorization", std::string("Bearer ") + kScraper);
          break;
        case Credential::admin_session:
          headers.emplace("Cookie", dana->cookie);
          headers.emplace("X-CSRF-Token", dana->csrf);
          break;
        case Credential::admin_session_without_csrf:
          headers.emplace("Cookie", dana->cookie);
          break;
        case Credential::viewer_session:
          headers.emplace("Cookie", kid->cookie);
          headers.emplace("X-CSRF-Token", kid->csrf);
          break;
        case Credential::none:
          break;
      }
      auto c = daemon.anonymous_client();
      const auto path = sample_path(route.pattern);
      httplib::Result res = route.method == "GET"    ? c.Get(path, headers)
                            : route.method == "POST" ? c.Post(path, headers, "", "application/octet-stream")
                                                     : c.Delete(path, headers);
      ASSERT_TRUE(res) << route.method << " " << path;
      const bool allowed = res->status != 401 && res->status != 403 && res->status != 429;
      EXPECT_EQ(allowed, expect_allowed(route, credential))
          << route.method << " " << path << " with " << name_of(credential) << ": " << res->status << " "
          << res->body;
      EXPECT_NE(res->status, 500) << route.method << " " << path << " with " << name_of(credential) << ": "
                                  << res->body;
      if (allowed) {
        EXPECT_THAT(res->body, Not(HasSubstr("is not available"))) << "declared and registered: " << path;
      }
      ++cells;
    }
  }
  RecordProperty("matrix_cells", cells);
  EXPECT_GE(cells, 120);
  EXPECT_EQ(daemon.anonymous_client().Get("/api/people", {{"Cookie", dana->cookie}})->status, 401)
      << "logged out";
}

// Logins need no face model: these daemons start without one.
json without_recognition(json config) {
  config.merge_patch(kWithoutRecognition);
  return config;
}

TEST(Login, WrongPasswordsAreThrottledLoggedWithoutThePasswordAndCounted) {
  RunningDaemon daemon{without_recognition({{"auth", {{"max_failures", 3}, {"lockout_seconds", 30}}}})};
  ASSERT_TRUE(daemon.wait_for_status("/api/health", 200)) << daemon.process().output();
  ASSERT_EQ(user_command(daemon, {"add", "Dana"}, "dana-password\n").exit_code, 0);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(login(daemon, "Dana", "guess-number-" + std::to_string(i)));
  const auto res = daemon.anonymous_client().Post(
      "/api/login", json{{"user", "Dana"}, {"password", "dana-password"}}.dump(), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429) << "locked out, even with the right password";
  EXPECT_EQ(res->get_header_value("Retry-After"), "30");
  EXPECT_TRUE(daemon.wait_for_output("login failed from 127.0.0.1 as \"Dana\""));
  EXPECT_THAT(daemon.process().output(), Not(HasSubstr("guess-number")));
  const auto metrics = daemon.client().Get("/metrics")->body;
  EXPECT_THAT(metrics, HasSubstr("doorbell_auth_failures_total{reason=\"password\"} 3"));
  EXPECT_THAT(metrics, HasSubstr("doorbell_auth_throttled_total 1"));
}

// Concurrent wrong passwords from one address, then the right one: the throttle counts checks before they
// run, so the burst gets auth.max_failures guesses however wide it is; the logins wait on their own
// thread, so the API's threads keep serving; the admin token from the same address still works.
TEST(Login, ABurstOfConcurrentGuessesGetsTheBudgetAndHoldsNoApiThread) {
  RunningDaemon daemon{without_recognition({{"http", {{"threads", 2}}}})};  // auth.max_failures: 5
  ASSERT_TRUE(daemon.wait_for_status("/api/health", 200)) << daemon.process().output();
  ASSERT_EQ(user_command(daemon, {"add", "Dana"}, "dana-password\n").exit_code, 0);
  for (const int burst : {60, 20}) {
    std::map<int, int> statuses;
    std::mutex mutex;
    std::atomic<double> slowest_api_ms{0};
    {
      std::vector<std::jthread> guesses;
      for (int i = 0; i < burst; ++i) {
        guesses.emplace_back([&, i] {
          const auto res = daemon.anonymous_client().Post(
              "/api/login", json{{"user", "Dana"}, {"password", "guess-" + std::to_string(i)}}.dump(),
              "application/json");
          std::lock_guard lock(mutex);
          ++statuses[res ? res->status : 0];
        });
      }
      for (int i = 0; i < 10; ++i) {  // a viewer of the timeline meanwhile
        const auto began = std::chrono::steady_clock::now();
        EXPECT_EQ(daemon.client().Get("/api/events")->status, 200);
        slowest_api_ms = std::max(
            slowest_api_ms.load(),
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count());
      }
    }
    EXPECT_EQ(statuses[401], burst == 60 ? 5 : 0) << "passwords checked: the first burst spends the budget";
    EXPECT_EQ(statuses[401] + statuses[429] + statuses[503], burst);
    EXPECT_LT(slowest_api_ms, 1000) << "GET /api/events during " << burst << " logins";
    RecordProperty("guesses_checked_of_" + std::to_string(burst), statuses[401]);
    RecordProperty("slowest_api_ms_during_" + std::to_string(burst), static_cast<int>(slowest_api_ms));
  }
  EXPECT_FALSE(login(daemon, "Dana", "dana-password")) << "locked out, even with the right password";
  EXPECT_EQ(daemon.client().Get("/api/events")->status, 200) << "the admin token from the same address";
}

// The packaged unit's way to keep tokens off the disk in plain text: systemd decrypts a credential made
// with `systemd-creds encrypt` into $CREDENTIALS_DIRECTORY, and the daemon takes the token from there.
TEST(Credentials, TheDaemonTakesItsAdminTokenFromSystemdsCredentialsDirectory) {
  TempDir credentials;
  credentials.write("http.api_token", "token-from-a-credential\n");
  RunningDaemon daemon{without_recognition({{"http", {{"api_token", nullptr}}}}),
                       {"CREDENTIALS_DIRECTORY=" + credentials.path().string()}};
  ASSERT_TRUE(eventually([&] { return daemon.anonymous_client().Get("/api/health") != nullptr; }, 30s))
      << daemon.process().output();
  auto client = daemon.anonymous_client();
  client.set_bearer_token_auth("token-from-a-credential");
  EXPECT_EQ(client.Get("/api/events")->status, 200);
  EXPECT_EQ(daemon.anonymous_client().Get("/api/events")->status, 401);
  const auto printed = run_command({DOORBELLD_BINARY, "--config", daemon.config_file(), "--print-config"},
                                   {"CREDENTIALS_DIRECTORY=" + credentials.path().string()});
  EXPECT_THAT(printed.output, HasSubstr("\"api_token\": \"***\""));
  EXPECT_THAT(printed.output + daemon.process().output(), Not(HasSubstr("token-from-a-credential")));
}

TEST(Login, SessionsHaveSafeCookiesExpireAndEndAtLogout) {
  RunningDaemon daemon{without_recognition({{"auth", {{"session_hours", 0.001}}}})};  // 3.6 s
  ASSERT_TRUE(daemon.wait_for_status("/api/health", 200)) << daemon.process().output();
  ASSERT_EQ(user_command(daemon, {"add", "Dana"}, "dana-password\n").exit_code, 0);
  const auto first = login(daemon, "Dana", "dana-password");
  ASSERT_TRUE(first);
  EXPECT_THAT(first->set_cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(first->set_cookie, HasSubstr("SameSite=Strict"));
  EXPECT_THAT(first->set_cookie, HasSubstr("Path=/"));
  EXPECT_THAT(first->set_cookie, Not(HasSubstr("Secure"))) << "plain HTTP here";
  auto c = daemon.anonymous_client();
  const auto who = c.Get("/api/session", {{"Cookie", first->cookie}});
  ASSERT_EQ(who->status, 200);
  EXPECT_EQ(json::parse(who->body)["user"], "Dana");
  EXPECT_EQ(json::parse(who->body)["csrf_token"], first->csrf);
  EXPECT_EQ(c.Get("/api/events", {{"Cookie", first->cookie}})->status, 200);
  std::this_thread::sleep_for(3800ms);
  EXPECT_EQ(c.Get("/api/events", {{"Cookie", first->cookie}})->status, 401) << "expired";

  const auto second = login(daemon, "Dana", "dana-password");
  ASSERT_TRUE(second);
  EXPECT_EQ(c.Post("/api/logout", {{"Cookie", second->cookie}}, "", "text/plain")->status, 403)
      << "CSRF guard";
  const auto out =
      c.Post("/api/logout", {{"Cookie", second->cookie}, {"X-CSRF-Token", second->csrf}}, "", "text/plain");
  ASSERT_EQ(out->status, 200);
  EXPECT_THAT(out->get_header_value("Set-Cookie"), HasSubstr("Max-Age=0"));
  EXPECT_EQ(c.Get("/api/events", {{"Cookie", second->cookie}})->status, 401);
  EXPECT_EQ(c.Post("/api/login", R"(user=Dana&password=dana-password)", "application/x-www-form-urlencoded")
                ->status,
            415)
      << "a cross-site form cannot log a browser in";
}

TEST(UserCommand, AddsChangesAndRemovesLoginsWhoseSessionsEndInTheRunningDaemon) {
  RunningDaemon daemon{kWithoutRecognition};
  ASSERT_TRUE(daemon.wait_for_status("/api/health", 200)) << daemon.process().output();
  const auto added = user_command(daemon, {"add", " Jose\xCC\x81 ", "--role", "viewer"}, "first-password\n");
  ASSERT_EQ(added.exit_code, 0) << added.output;
  EXPECT_THAT(added.output, HasSubstr("added Jos\xC3\xA9 (viewer)")) << "normalised";
  EXPECT_EQ(user_command(daemon, {"add", "Jos\xC3\xA9"}, "other-password\n").exit_code, 1) << "one name";
  EXPECT_EQ(user_command(daemon, {"add", "Short"}, "1234\n").exit_code, 1);
  EXPECT_EQ(user_command(daemon, {"add", "Bad\xE2\x80\xAEname"}, "a-long-password\n").exit_code, 2);
  EXPECT_THAT(user_command(daemon, {"list"}).output, HasSubstr("Jos\xC3\xA9\tviewer"));

  const auto session = login(daemon, "Jos\xC3\xA9", "first-password");
  ASSERT_TRUE(session);
  ASSERT_EQ(user_command(daemon, {"passwd", "Jos\xC3\xA9"}, "second-password\n").exit_code, 0);
  auto c = daemon.anonymous_client();
  EXPECT_TRUE(eventually(
      [&] {
        return c.Get("/api/events", {{"Cookie", session->cookie}})->status == 401;
      },
      5s))
      << "a new password ends the sessions of the running daemon";
  EXPECT_FALSE(login(daemon, "Jos\xC3\xA9", "first-password"));
  const auto again = login(daemon, "Jos\xC3\xA9", "second-password");
  ASSERT_TRUE(again);
  ASSERT_EQ(user_command(daemon, {"remove", "Jos\xC3\xA9"}).exit_code, 0);
  EXPECT_TRUE(eventually(
      [&] {
        return c.Get("/api/events", {{"Cookie", again->cookie}})->status == 401;
      },
      5s));
  EXPECT_EQ(user_command(daemon, {"remove", "Jos\xC3\xA9"}).exit_code, 1);
}

}  // namespace
}  // namespace doorbell::testing
