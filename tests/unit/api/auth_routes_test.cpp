// The login routes as plain functions, on a real user store: what GET /api/session says for every
// length of Cookie header (its session id was once read from a header string freed before the lookup).
#include "doorbell/api/auth_routes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "doorbell/auth/password.hpp"
#include "doorbell/observability/metrics.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::api {

using http::kSessionCookie;
namespace {

using namespace std::chrono_literals;

TEST(SessionRoute, AnswersTheSessionForCookieHeadersOfEveryLength) {
  testing::TempDir dir;
  Metrics metrics;
  storage::UserStore(dir.path()).add("Dana", "admin", auth::hash_password("dana's password"));
  const SteadyClock clock;
  auth::Sessions sessions(dir.path(), 1h, clock, metrics.registry());
  const auto dana = sessions.login("Dana", "dana's password", "10.0.0.1");
  ASSERT_TRUE(dana);
  const RequestContext context{{auth::Role::admin, "user Dana", true, "Dana"}, "10.0.0.1", false};
  const std::string cookie = std::string(kSessionCookie) + "=" + dana->id;
  // 104-119 bytes lost the answer's session fields; every length from the bare cookie to 300 bytes.
  for (std::size_t padding = 0; cookie.size() + padding <= 300; ++padding) {
    Request req;
    req.headers.emplace_back("Cookie", "theme=" + std::string(padding, 'x') + "; " + cookie);
    const auto out = session_info(sessions, req, context);
    const auto body = nlohmann::json::parse(out.body);
    const auto length = req.header("Cookie").size();
    ASSERT_EQ(body.value("user", ""), "Dana") << "Cookie header of " << length << " bytes";
    EXPECT_EQ(body.value("csrf_token", ""), dana->session.csrf_token) << length << " bytes";
    EXPECT_TRUE(body.contains("expires_at")) << length << " bytes";
  }
}

}  // namespace
}  // namespace doorbell::api
