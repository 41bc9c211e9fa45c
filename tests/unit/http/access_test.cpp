#include "doorbell/http/access.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "doorbell/api/daemon_routes.hpp"
#include "doorbell/auth/password.hpp"
#include "doorbell/observability/metrics.hpp"
#include "fakes/fake_clock.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::http {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

RequestHead head(std::string method, std::string path,
                 std::vector<std::pair<std::string, std::string>> headers = {}) {
  RequestHead h;
  h.method = std::move(method);
  h.target = path;
  h.path = std::move(path);
  h.version = "HTTP/1.1";
  h.headers = std::move(headers);
  return h;
}

class AccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::UserStore(dir.path()).add("Dana", "admin", auth::hash_password("dana's password"));
    storage::UserStore(dir.path()).add("Kid", "viewer", auth::hash_password("kid's password"));
    sessions = std::make_unique<auth::Sessions>(dir.path(), 1h, clock, metrics.registry());
    policy = std::make_unique<AccessPolicy>(AccessTokens{"admin-secret", "viewer-secret", "scrape-secret"},
                                            sessions.get(), &throttle);
  }
  const RouteSpec& route(std::string_view method, std::string_view pattern) {
    const auto* spec = table.declared(method, pattern);
    EXPECT_NE(spec, nullptr) << method << " " << pattern;
    return *spec;
  }
  AccessDecision decide(const RequestHead& h, std::string_view pattern) {
    return policy->decide(h, route(h.method == "HEAD" ? "GET" : h.method, pattern), "10.0.0.9");
  }

  testing::TempDir dir;
  Metrics metrics;
  testing::FakeClock clock;
  AuthConfig config{Hours(720), 3, Seconds(60), Seconds(30)};
  auth::AuthThrottle throttle{config, clock, metrics.registry()};
  std::unique_ptr<auth::Sessions> sessions;
  std::unique_ptr<AccessPolicy> policy;
  RouteTable table{api::daemon_routes()};
};

TEST_F(AccessTest, ProbesAreOpenAndTheRestNeedsTheirLevel) {
  EXPECT_TRUE(decide(head("GET", "/api/health"), "/api/health").allowed);
  EXPECT_TRUE(decide(head("GET", "/api/ready"), "/api/ready").allowed);
  const auto anonymous = decide(head("GET", "/api/events"), "/api/events");
  EXPECT_FALSE(anonymous.allowed);
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.headers.at(0).first, "WWW-Authenticate");

  const auto viewer =
      decide(head("GET", "/api/events", {{"authorization", "Bearer viewer-secret"}}), "/api/events");
  EXPECT_TRUE(viewer.allowed);
  EXPECT_EQ(viewer.principal.role, auth::Role::viewer);
  const auto viewer_rings =
      decide(head("POST", "/api/ring", {{"authorization", "Bearer viewer-secret"}}), "/api/ring");
  EXPECT_EQ(viewer_rings.status, 403) << "a viewer cannot change state";
  EXPECT_TRUE(
      decide(head("POST", "/api/ring", {{"authorization", "bearer admin-secret"}}), "/api/ring").allowed)
      << "the scheme is case-insensitive";
}

TEST_F(AccessTest, TheMetricsTokenOpensMetricsOnly) {
  const auto with = [](const char* token) {
    return std::vector<std::pair<std::string, std::string>>{
        {"authorization", std::string("Bearer ") + token}};
  };
  EXPECT_EQ(decide(head("GET", "/metrics"), "/metrics").status, 401);
  EXPECT_TRUE(decide(head("GET", "/metrics", with("scrape-secret")), "/metrics").allowed);
  EXPECT_TRUE(decide(head("GET", "/metrics", with("admin-secret")), "/metrics").allowed);
  EXPECT_EQ(decide(head("GET", "/metrics", with("viewer-secret")), "/metrics").status, 403);
  EXPECT_EQ(decide(head("GET", "/api/events", with("scrape-secret")), "/api/events").status, 403);

  AccessPolicy open_metrics({"admin-secret", "", ""}, nullptr, nullptr);
  EXPECT_TRUE(open_metrics.decide(head("GET", "/metrics"), route("GET", "/metrics"), "10.0.0.9").allowed)
      << "without a metrics token /metrics is open like the probes";
}

TEST_F(AccessTest, SessionsNeedTheirCsrfTokenToChangeState) {
  const auto login = sessions->login("Dana", "dana's password", "10.0.0.9");
  ASSERT_TRUE(login);
  const std::string cookie = "theme=dark; doorbell_session=" + login->id;
  EXPECT_TRUE(decide(head("GET", "/api/people", {{"cookie", cookie}}), "/api/people").allowed);
  const auto no_csrf = decide(head("POST", "/api/ring", {{"cookie", cookie}}), "/api/ring");
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(no_csrf.code, "csrf");
  EXPECT_EQ(
      decide(head("POST", "/api/ring", {{"cookie", cookie}, {"x-csrf-token", "guess"}}), "/api/ring").status,
      403);
  const auto ok =
      decide(head("POST", "/api/ring", {{"cookie", cookie}, {"x-csrf-token", login->session.csrf_token}}),
             "/api/ring");
  EXPECT_TRUE(ok.allowed);
  EXPECT_EQ(ok.principal.user, "Dana");
  EXPECT_TRUE(ok.principal.via_session);

  const auto stale = decide(
      head("GET", "/api/people", {{"cookie", "doorbell_session=" + auth::random_token()}}), "/api/people");
  EXPECT_EQ(stale.status, 401);
  EXPECT_EQ(stale.code, "session_expired");
  EXPECT_THAT(stale.headers.back().second, HasSubstr("Max-Age=0")) << "the stale cookie is cleared";
}

TEST_F(AccessTest, WrongTokensAreThrottledPerAddressMissingOnesAreNot) {
  for (int i = 0; i < 10; ++i) EXPECT_EQ(decide(head("GET", "/api/events"), "/api/events").status, 401);
  const auto wrong = head("GET", "/api/events", {{"authorization", "Bearer guess"}});
  EXPECT_EQ(decide(wrong, "/api/events").status, 401);
  EXPECT_EQ(decide(wrong, "/api/events").status, 401);
  EXPECT_EQ(decide(wrong, "/api/events").status, 401);
  const auto locked =
      decide(head("GET", "/api/events", {{"authorization", "Bearer viewer-secret"}}), "/api/events");
  EXPECT_EQ(locked.status, 429) << "even the right token waits out the lockout";
  EXPECT_EQ(locked.headers.at(0), (std::pair<std::string, std::string>{"Retry-After", "30"}));
  EXPECT_TRUE(decide(head("GET", "/api/health"), "/api/health").allowed) << "probes are never throttled";
  EXPECT_TRUE(decide(head("POST", "/api/login"), "/api/login").allowed) << "wrong tokens do not lock logins";
  clock.advance(31s);
  EXPECT_TRUE(
      decide(head("GET", "/api/events", {{"authorization", "Bearer viewer-secret"}}), "/api/events").allowed);
}

TEST_F(AccessTest, WrongPasswordsLockLoginsNotTokensNorSessions) {
  const auto login = sessions->login("Dana", "dana's password", "10.0.0.9");
  ASSERT_TRUE(login);
  for (int i = 0; i < 3; ++i) throttle.fail("10.0.0.9", auth::Credential::password);
  const auto refused = decide(head("POST", "/api/login"), "/api/login");
  EXPECT_EQ(refused.status, 429) << "no password is tried while locked out";
  EXPECT_THAT(refused.message, HasSubstr("wrong passwords"));
  EXPECT_TRUE(
      decide(head("GET", "/api/events", {{"authorization", "Bearer viewer-secret"}}), "/api/events").allowed)
      << "the household's token from the same address";
  EXPECT_TRUE(decide(head("GET", "/api/events", {{"cookie", "doorbell_session=" + login->id}}), "/api/events")
                  .allowed)
      << "a session opened before";
}

TEST_F(AccessTest, WithoutAnyCredentialConfiguredTheRefusalSaysHowToSetOne) {
  testing::TempDir empty;
  auth::Sessions none(empty.path(), 1h, clock, metrics.registry());
  AccessPolicy policy_without({"", "", ""}, &none, nullptr);
  const auto d = policy_without.decide(head("GET", "/api/people"), route("GET", "/api/people"), "10.0.0.9");
  EXPECT_EQ(d.status, 403);
  EXPECT_THAT(d.message, HasSubstr("doorbelld user add"));
}

TEST(RouteTable, MatchesHeadAsGetAndNamesOtherMethodsOfAPath) {
  const RouteTable table(api::daemon_routes());
  EXPECT_EQ(table.match("HEAD", "/api/events/12").spec->pattern, R"(/api/events/(\d+))");
  const auto put = table.match("PUT", "/api/people");
  EXPECT_EQ(put.spec, nullptr);
  EXPECT_EQ(put.allowed, "GET, POST");
  EXPECT_EQ(table.match("GET", "/nothing").allowed, "");
  EXPECT_EQ(table.match("GET", "/api/events/12/x").spec, nullptr) << "whole-path matches only";
}

TEST(RouteTable, ProbesAreOpenOnTheirOwnLaneAndWhatChangesStateIsAdmin) {
  for (const auto& spec : api::daemon_routes()) {
    if (spec.lane == Lane::probe) {
      EXPECT_NE(spec.access, Access::viewer) << spec.pattern;
    }
    // Logging in and out change only the caller's own session.
    const bool own_session = spec.pattern == "/api/login" || spec.pattern == "/api/logout";
    if (spec.method != "GET" && !own_session) {
      EXPECT_EQ(spec.access, Access::admin) << spec.pattern;
    }
  }
  EXPECT_EQ(RouteTable(api::daemon_routes()).declared("GET", "/api/health")->lane, Lane::probe);
}

TEST(Cookies, ValueIsFoundAmongOthers) {
  EXPECT_EQ(cookie_value("a=1; doorbell_session=abc ;b=2", "doorbell_session"), "abc");
  EXPECT_EQ(cookie_value("xdoorbell_session=abc", "doorbell_session"), std::nullopt);
  EXPECT_EQ(cookie_value("", "doorbell_session"), std::nullopt);
}

}  // namespace
}  // namespace doorbell::http
