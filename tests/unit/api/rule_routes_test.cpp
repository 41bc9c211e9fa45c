// The notification rules' routes: what a rule may say, each mistake a 400 naming it.
#include "doorbell/api/rule_routes.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/store_backends.hpp"

namespace doorbell::api {
namespace {

using nlohmann::json;

class RuleRoutes : public testing::StoreTest {
 protected:
  Response put(const std::string& subject, const json& body) {
    return put_rule(rules, channels, subject, body.dump(), [](std::int64_t id) { return id == 3; });
  }

  notify::RuleBook rules{where()};
  const std::vector<std::string> channels{"webhook", "ntfy"};
};
DOORBELL_ON_EACH_BACKEND(RuleRoutes);

TEST_P(RuleRoutes, ARuleIsStoredListedAndRemoved) {
  auto res = put("person-3", {{"channels", {"ntfy"}},
                              {"quiet_hours", "22:00-07:00"},
                              {"snooze_until", "2026-12-24T18:00:00+01:00"}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(json::parse(res.body)["snooze_until"], "2026-12-24T17:00:00.000Z") << "kept in UTC";
  res = put("unknown", json::object());
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_TRUE(json::parse(res.body)["channels"].is_null()) << "every channel";

  const auto listed = json::parse(list_rules(rules, channels).body);
  EXPECT_EQ(listed["channels"], json({"webhook", "ntfy"}));
  ASSERT_EQ(listed["rules"].size(), 2u);
  EXPECT_EQ(listed["rules"][0]["subject"], "person-3");
  EXPECT_EQ(listed["rules"][0]["channels"], json({"ntfy"}));
  EXPECT_EQ(delete_rule(rules, "person-3").status, 200);
  EXPECT_EQ(delete_rule(rules, "person-3").status, 404);
}

TEST_P(RuleRoutes, EachMistakeIsA4xxNamingIt) {
  const auto error = [](const Response& r) {
    return json::parse(r.body)["error"]["message"].get<std::string>();
  };
  EXPECT_EQ(put("person-4", json::object()).status, 404) << "nobody";
  EXPECT_EQ(put("unknown", json::array()).status, 400);
  auto res = put("unknown", {{"channels", json::array()}});
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(error(res).find("at least one channel"), std::string::npos);
  res = put("unknown", {{"channels", {"telegram"}}});
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(error(res).find("webhook, ntfy"), std::string::npos) << error(res);
  EXPECT_EQ(put("unknown", {{"quiet_hours", "late"}}).status, 400);
  EXPECT_EQ(put("unknown", {{"quiet_hours", 22}}).status, 400);
  EXPECT_EQ(put("unknown", {{"snooze_until", "tomorrow"}}).status, 400);
  res = put("blacklisted", {{"snooze_until", "2026-12-24T18:00:00Z"}});
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(error(res).find("never silenced"), std::string::npos);
  EXPECT_EQ(put("blacklisted", {{"channels", {"ntfy"}}}).status, 200) << "its channels may be chosen";
  EXPECT_EQ(rules.list().size(), 1u) << "nothing else was stored";
}

}  // namespace
}  // namespace doorbell::api
