#include "doorbell/notify/message.hpp"

#include <gtest/gtest.h>

#include "doorbell/storage/face_outcome_json.hpp"

namespace doorbell::notify {
namespace {

model::Event event(std::string kind, std::vector<std::string> names, nlohmann::json faces) {
  model::Event e;
  e.id = 7;
  e.time = "2026-11-23T10:00:00.000Z";
  e.source = "gpio";
  e.kind = *model::parse_event_kind(kind);
  e.names = std::move(names);
  e.faces = storage::faces_from_json(faces);
  return e;
}

TEST(Message, SaysWhoIsAtTheDoorAndHow) {
  const auto known = event("known", {"Dana", "Sam"}, nlohmann::json::array());
  EXPECT_EQ(title(known), "Doorbell: Dana and Sam");
  EXPECT_EQ(text(known), "Dana and Sam are at the door (rang).");
  auto eve = event("blacklisted", {"Eve"}, nlohmann::json::array());
  eve.source = "presence";
  EXPECT_EQ(title(eve), "Doorbell: BLACKLISTED Eve");
  EXPECT_EQ(text(eve), "Eve (on the blacklist) is at the door (waiting, has not rung).");
  const auto nobody = event("no_face", {}, nlohmann::json::array());
  EXPECT_EQ(text(nobody), "Someone is at the door (rang); no face in view.");
  const auto unseen = event("camera_unavailable", {}, nlohmann::json::array());
  EXPECT_EQ(title(unseen), "Doorbell: someone rang");
  EXPECT_EQ(text(unseen),
            "Someone rang at 10:00 UTC; the camera is unavailable, so doorbelld could not see who.");
}

TEST(Message, NamesVisitorClustersAndHowOftenTheyCame) {
  const auto visitor = [](int id, int seen, bool ignored) {
    return nlohmann::json{{"result", "unknown"},
                          {"visitor", {{"id", id}, {"seen", seen}, {"ignored", ignored}}}};
  };
  const auto again = event("unknown", {}, nlohmann::json::array({visitor(7, 5, false)}));
  EXPECT_EQ(title(again), "Doorbell: Visitor 7");
  EXPECT_EQ(text(again), "Visitor 7 (seen 5 times) is at the door (rang).");
  EXPECT_EQ(page_action(again), "Who is this?");
  const auto two = event("unknown", {}, nlohmann::json::array({visitor(7, 1, false), visitor(9, 3, true)}));
  EXPECT_EQ(text(two),
            "Visitor 7 (first visit) and Visitor 9 (ignored; seen 3 times) are at the door (rang).");
  const auto postman = event("ignored", {}, nlohmann::json::array({visitor(9, 12, true)}));
  EXPECT_EQ(title(postman), "Doorbell: Visitor 9 (ignored)");
  EXPECT_EQ(text(postman), "Visitor 9 (ignored; seen 12 times) is at the door (rang).");
  EXPECT_EQ(page_action(postman), "Open");
  const auto unclustered =
      event("unknown", {}, nlohmann::json::array({visitor(7, 2, false), {{"result", "unknown"}}}));
  EXPECT_EQ(title(unclustered), "Doorbell: unknown visitor");
  EXPECT_EQ(text(unclustered), "2 unknown visitors at the door (rang).");
  const Notice notice{again, {}, "", "", "key-1", ""};
  EXPECT_EQ(event_json(notice)["faces"][0]["visitor"]["id"], 7) << "receivers can tell visitors apart";
}

TEST(Message, EventJsonCarriesTheFacesEvenWithNobodyEnrolled) {
  // With an empty gallery an unknown face is infinitely far from everyone: its distance is null.
  const auto e =
      event("unknown", {}, nlohmann::json::parse(R"([{"result": "unknown", "distance": null, "votes": 3}])"));
  const Notice notice{e, {}, "", "", "key-1", ""};
  const auto json = event_json(notice);
  EXPECT_EQ(json["event_id"], 7);
  EXPECT_EQ(json["event_type"], "unknown");
  EXPECT_EQ(json["source"], "gpio");
  EXPECT_TRUE(json["faces"][0]["distance"].is_null());
  EXPECT_FALSE(json["faces"][0].contains("votes")) << "only what a receiver needs";
  EXPECT_TRUE(json["snapshot_url"].is_null());
  EXPECT_TRUE(json["page_url"].is_null());
  EXPECT_EQ(json["idempotency_key"], "key-1");
  EXPECT_EQ(page_action(e), "Who is this?");
  EXPECT_EQ(page_action(event("known", {"Dana"}, nlohmann::json::array())), "Open");
}

}  // namespace
}  // namespace doorbell::notify
