// Familiar faces in the real daemon: a stranger's rings form one visitor cluster, naming it names the
// next ring and relabels the past ones, "this is not X" stops a wrong match from being repeated, and an
// ignored visitor is told as such, never as an unknown visitor.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/doorstep.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;

class FamiliarFacesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon = std::make_unique<RunningDaemon>(doorstep_config(dir.path() / "camera"));
    ASSERT_TRUE(daemon->wait_for_status("/api/ready", 200)) << daemon->process().output();
    ASSERT_TRUE(wait_until_assessed(*daemon));
  }

  json get(const std::string& path) {
    const auto res = daemon->client().Get(path);
    EXPECT_EQ(res->status, 200) << path << ": " << res->body;
    return json::parse(res->body);
  }

  json post(const std::string& path, const json& body, int status = 200) {
    const auto res = daemon->client().Post(path, body.dump(), "application/json");
    EXPECT_EQ(res->status, status) << path << ": " << res->body;
    return json::parse(res->body);
  }

  json ring() { return ring_and_wait(*daemon, "t"); }

  // The id of the (only) face seen at an event.
  std::int64_t face_of(const json& event) {
    const auto faces = get("/api/events/" + std::to_string(event["id"].get<int>()) + "/faces")["faces"];
    EXPECT_EQ(faces.size(), 1u);
    return faces.empty() ? 0 : faces[0]["id"].get<std::int64_t>();
  }

  TempDir dir;
  std::unique_ptr<RunningDaemon> daemon;
};

TEST_F(FamiliarFacesTest, AStrangerRingingThreeTimesIsOneVisitor_NamedTheyAreNamedFromThenOn) {
  std::int64_t visitor = 0;
  for (int i = 1; i <= 3; ++i) {
    const auto event = ring();
    ASSERT_EQ(event["kind"], "unknown");
    ASSERT_TRUE(event["faces"][0].contains("visitor")) << event.dump();
    const auto seen = event["faces"][0]["visitor"];
    if (i == 1) visitor = seen["id"].get<std::int64_t>();
    EXPECT_EQ(seen["id"], visitor) << "one cluster";
    EXPECT_EQ(seen["seen"], i);
  }
  const auto visitors = get("/api/visitors")["visitors"];
  ASSERT_EQ(visitors.size(), 1u);
  EXPECT_EQ(visitors[0]["seen"], 3);
  EXPECT_EQ(visitors[0]["name"], "Visitor " + std::to_string(visitor));
  const auto crop = daemon->client().Get(visitors[0]["image"].get<std::string>());
  ASSERT_EQ(crop->status, 200);
  EXPECT_EQ(crop->get_header_value("Content-Type"), "image/jpeg");
  EXPECT_EQ(get("/api/events?visitor=" + std::to_string(visitor))["events"].size(), 3u);

  const auto named = post("/api/visitors/" + std::to_string(visitor) + "/name", {{"name", "Dana"}});
  EXPECT_EQ(named["faces_named"], 3);
  EXPECT_GE(named["samples_added"], 1);
  EXPECT_EQ(get("/api/events?person=Dana")["events"].size(), 3u) << "past visits relabelled";
  EXPECT_TRUE(get("/api/visitors")["visitors"].empty());
  const auto audited = get("/api/audit?action=visitor")["entries"];
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_EQ(audited[0]["action"], "visitor.named");
  EXPECT_EQ(audited[0]["object"]["name"], "Visitor " + std::to_string(visitor));
  EXPECT_THAT(audited[0]["detail"].get<std::string>(), ::testing::StartsWith("as Dana (person "));

  const auto next = ring();
  EXPECT_EQ(next["kind"], "known");
  EXPECT_EQ(next["names"], json::array({"Dana"}));
}

TEST_F(FamiliarFacesTest, ThisIsNotSamStopsTheSameWrongMatch) {
  enroll(*daemon, "t", "Sam", 2);  // the doorstep's face, taken for Sam
  const auto wrong = ring();
  ASSERT_EQ(wrong["names"], json::array({"Sam"}));
  const auto sam = get("/api/people")["people"][0]["id"].get<std::int64_t>();

  const auto corrected = post("/api/faces/" + std::to_string(face_of(wrong)) + "/identity", {{"not", sam}});
  EXPECT_TRUE(corrected["person_id"].is_null());
  EXPECT_FALSE(corrected["visitor_id"].is_null()) << "the face joins the visitors";
  const auto relabelled = get("/api/events/" + std::to_string(wrong["id"].get<int>()));
  EXPECT_EQ(relabelled["kind"], "unknown");
  EXPECT_TRUE(relabelled["names"].empty());

  const auto next = ring();
  EXPECT_EQ(next["kind"], "unknown") << "not named Sam again: " << next.dump();
  EXPECT_EQ(next["faces"][0]["visitor"]["id"], corrected["visitor_id"]);

  post("/api/faces/999999/identity", {{"not", sam}}, 404);
  post("/api/faces/" + std::to_string(face_of(next)) + "/identity", {{"not", 999999}}, 404);
  post("/api/faces/" + std::to_string(face_of(next)) + "/identity", {{"not", sam}, {"name", "Sam"}}, 400);
  const auto audited = get("/api/audit?action=face")["entries"];
  ASSERT_EQ(audited.size(), 1u) << "refused corrections are not in the trail";
  EXPECT_EQ(audited[0]["action"], "face.rejected");
  EXPECT_EQ(audited[0]["detail"], "this is not Sam");
  EXPECT_EQ(audited[0]["actor"]["kind"], "token");
}

TEST_F(FamiliarFacesTest, AnIgnoredVisitorIsToldAsSuchNeverAsUnknown) {
  const auto first = ring();
  const auto visitor = first["faces"][0]["visitor"]["id"].get<std::int64_t>();
  const auto res = daemon->client().Patch("/api/visitors/" + std::to_string(visitor),
                                          json{{"ignored", true}}.dump(), "application/json");
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json::parse(res->body)["ignored"], true);

  const auto next = ring();
  EXPECT_EQ(next["kind"], "ignored") << "not unknown";
  EXPECT_EQ(next["faces"][0]["visitor"]["id"], visitor);
  EXPECT_EQ(next["faces"][0]["visitor"]["ignored"], true);
  EXPECT_EQ(get("/api/events?kind=unknown")["events"].size(), 1u) << "only the ring before";
  EXPECT_EQ(get("/api/visitors?ignored=true")["visitors"].size(), 1u);
  EXPECT_TRUE(get("/api/visitors?ignored=false")["visitors"].empty());
  EXPECT_EQ(daemon->client().Get("/api/visitors?ignored=maybe")->status, 400);
  EXPECT_EQ(get("/api/audit?action=visitor.ignored")["entries"].at(0)["object"]["id"],
            std::to_string(visitor));
}

}  // namespace
}  // namespace doorbell::testing
