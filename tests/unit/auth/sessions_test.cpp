#include "doorbell/auth/sessions.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "doorbell/auth/password.hpp"
#include "doorbell/observability/metrics.hpp"
#include "doorbell/storage/schema.hpp"
#include "fakes/fake_clock.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::auth {
namespace {

using namespace std::chrono_literals;

class SessionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::UserStore users(dir.path());
    users.add("Dana", "admin", hash_password("dana's password"));
    users.add("Kid", "viewer", hash_password("kid's password"));
  }
  testing::TempDir dir;
  Metrics metrics;
  testing::FakeClock clock;
};

TEST_F(SessionsTest, ALoginIsASessionWithItsOwnCsrfTokenFoundByItsId) {
  Sessions sessions(dir.path(), 1h, clock, metrics.registry());
  EXPECT_FALSE(sessions.login("Dana", "wrong password", "10.0.0.1"));
  EXPECT_FALSE(sessions.login("Nobody", "dana's password", "10.0.0.1"));
  const auto dana = sessions.login("Dana", "dana's password", "10.0.0.1");
  ASSERT_TRUE(dana);
  EXPECT_EQ(dana->id.size(), 64u);
  EXPECT_EQ(dana->session.role, Role::admin);
  const auto found = sessions.find(dana->id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user, "Dana");
  EXPECT_EQ(found->csrf_token, dana->session.csrf_token);
  EXPECT_FALSE(sessions.find(random_token())) << "an unknown id";
  EXPECT_FALSE(sessions.find("short")) << "not an id at all";
  EXPECT_EQ(sessions.login("Kid", "kid's password", "10.0.0.2")->session.role, Role::viewer);
}

TEST_F(SessionsTest, SessionsSurviveARestartButNotALogout) {
  std::string id;
  {
    Sessions sessions(dir.path(), 1h, clock, metrics.registry());
    id = sessions.login("Dana", "dana's password", "10.0.0.1")->id;
  }
  Metrics again;
  Sessions sessions(dir.path(), 1h, clock, again.registry());
  ASSERT_TRUE(sessions.find(id)) << "stored (by hash) in the database";
  sessions.logout(id);
  EXPECT_FALSE(sessions.find(id));
}

TEST_F(SessionsTest, SessionsExpire) {
  Sessions sessions(dir.path(), 1s, clock, metrics.registry());
  const auto id = sessions.login("Dana", "dana's password", "10.0.0.1")->id;
  EXPECT_TRUE(sessions.find(id));
  clock.advance(999ms);
  EXPECT_TRUE(sessions.find(id));
  clock.advance(1ms);
  EXPECT_FALSE(sessions.find(id));
  sessions.refresh();
  EXPECT_THAT(metrics.render(), ::testing::HasSubstr("doorbell_auth_sessions 0"));
}

TEST_F(SessionsTest, ChangesMadeByAnotherProcessEndSessionsOnRefresh) {
  Sessions sessions(dir.path(), 1h, clock, metrics.registry());
  const auto dana = sessions.login("Dana", "dana's password", "10.0.0.1")->id;
  const auto kid = sessions.login("Kid", "kid's password", "10.0.0.2")->id;
  storage::UserStore cli(dir.path());  // what `doorbelld user ...` does
  cli.set_password("Dana", hash_password("a new password"));
  cli.remove("Kid");
  EXPECT_TRUE(sessions.find(dana)) << "not before the refresh";
  sessions.refresh();
  EXPECT_FALSE(sessions.find(dana));
  EXPECT_FALSE(sessions.find(kid));
  EXPECT_TRUE(sessions.login("Dana", "a new password", "10.0.0.1"));
}

TEST_F(SessionsTest, UserNamesAreOneNameWhateverTheirCaseOrWidth) {
  storage::UserStore users(dir.path());
  users.add("Jos\xC3\xA9", "viewer", hash_password("jose's password"));
  EXPECT_THROW(users.add("JOS\xC3\x89", "admin", hash_password("another password")), storage::UserError);
  EXPECT_THROW(users.add("\xEF\xBD\x84"
                         "ana",
                         "admin", hash_password("another password")),  // fullwidth d
               storage::UserError);
  Sessions sessions(dir.path(), 1h, clock, metrics.registry());
  const auto upper = sessions.login("JOS\xC3\x89", "jose's password", "10.0.0.1");
  ASSERT_TRUE(upper);
  EXPECT_EQ(upper->session.user, "Jos\xC3\xA9") << "shown as it was written";
  EXPECT_TRUE(sessions.login("jos\xC3\xA9", "jose's password", "10.0.0.1"));
  EXPECT_FALSE(sessions.login("Jose", "jose's password", "10.0.0.1"))
      << "e without its accent is another name";
  users.set_role("JOS\xC3\x89", "admin");
  EXPECT_EQ(users.find("jos\xC3\xA9")->role, "admin");
  EXPECT_TRUE(users.remove("jos\xC3\xA9"));
  EXPECT_FALSE(users.find("Jos\xC3\xA9"));
}

TEST(UserStoreMigration, UsersFromBeforeGetKeysAndAClashKeepsTheFirst) {
  testing::TempDir dir;
  {
    const auto all = storage::schema_migrations();
    storage::Database old(dir.path() / "doorbelld.db", all.first(16));
    for (const char* name : {"Jos\xC3\xA9", "JOS\xC3\x89", "Kid"}) {
      old.prepare("INSERT INTO users (name, role, password) VALUES (?, 'admin', ?)")
          .bind(1, std::string_view(name))
          .bind(2, hash_password("a long password"))
          .run();
    }
  }
  storage::UserStore users(dir.path());
  EXPECT_EQ(users.find("kid")->name, "Kid");
  EXPECT_EQ(users.find("jos\xC3\xA9")->name, "Jos\xC3\xA9") << "the first keeps the name";
  EXPECT_EQ(users.list().size(), 3u) << "the clash is kept, without a key";
  users.set_role("JOS\xC3\x89", "viewer");
  EXPECT_EQ(users.find("Jos\xC3\xA9")->role, "admin") << "the user written so is changed, not the first";
  EXPECT_TRUE(users.remove("JOS\xC3\x89")) << "removed as written";
  EXPECT_EQ(users.find("JOS\xC3\x89")->name, "Jos\xC3\xA9");
}

}  // namespace
}  // namespace doorbell::auth
