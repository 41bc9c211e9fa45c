// Many doors, one household (issue 16): two real daemons — the front door and the back door — on one
// real PostgreSQL database. A person enrolled at one door is named at the other within a second; both
// doors' events are one timeline that either door serves, filtered by door, with every picture.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <iostream>
#include <set>
#include <thread>

#include "doorbell/gallery/gallery_watch.hpp"
#include "doorbell/storage/database.hpp"
#include "doorbell/storage/schema.hpp"
#include "support/doorstep.hpp"
#include "support/http_receivers.hpp"
#include "support/poll.hpp"
#include "support/postgres.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class ManyDoors : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!server.unavailable().empty()) GTEST_SKIP() << server.unavailable();
    storage::Database::postgres(server.conninfo(), {}).exec("CREATE DATABASE household");
    front = start("front", "Front door");
    back = start("back", "Back door");
    for (auto* door : {front.get(), back.get()}) {
      ASSERT_TRUE(door->wait_for_status("/api/ready", 200)) << door->process().output();
      ASSERT_TRUE(wait_until_assessed(*door));
    }
  }

  // A door whose webhook goes to `hooks` at /<id>; its data directory is the same each time it starts.
  std::unique_ptr<RunningDaemon> start(const std::string& id, const std::string& name) {
    auto config = doorstep_config(dir.path() / id / "camera");
    config["door"] = {{"id", id}, {"name", name}};
    config["storage"] = {{"backend", "postgres"}, {"postgres", server.conninfo() + " dbname=household"}};
    config["webhook"] = {{"url", "http://127.0.0.1:" + std::to_string(hook_port) + "/" + id},
                         {"secret", "s"},
                         {"inline_image", true}};
    config["storage"]["check_interval_seconds"] = 1;
    config["storage"]["data_dir"] = data_dir(id).string();
    config["notify"] = {{"cooldown_seconds", 0}, {"timeout_seconds", 1}};  // a claim lasts 6 s
    return std::make_unique<RunningDaemon>(config);
  }

  static json get(const RunningDaemon& door, const std::string& path) {
    const auto res = door.client().Get(path);
    EXPECT_TRUE(res && res->status == 200) << path << ": " << (res ? res->body : "no answer");
    return res ? json::parse(res->body) : json();
  }

  // The JPEG `door` serves at `path`.
  static std::string picture(const RunningDaemon& door, const std::string& path) {
    const auto res = door.client().Get(path);
    EXPECT_TRUE(res && res->status == 200) << path << ": " << (res ? res->body : "no answer");
    if (!res) return {};
    EXPECT_EQ(res->body.substr(0, 2), "\xFF\xD8") << path << ": not a JPEG";
    return res->body;
  }

  // Rings `door` and returns its event (found through the door filter: the other door's events are in
  // the same timeline).
  static json ring(RunningDaemon& door, const std::string& id) {
    auto c = door.client();
    const auto path = "/api/events?door=" + id;
    const auto before = get(door, path)["events"].size();
    EXPECT_EQ(c.Post("/api/ring", "", "text/plain")->status, 202);
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto events = get(door, path)["events"];
      if (events.size() > before) return events[0];
      std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "no event within 60 s: " << door.process().output();
    return {};
  }

  std::filesystem::path data_dir(const std::string& id) const { return dir.path() / id / "data"; }

  // The storage component of `door`'s /api/ready, which must answer 200 (ready).
  static json storage_readiness(const RunningDaemon& door) {
    return get(door, "/api/ready")["components"]["storage"];
  }

  ThrowawayPostgres server;
  TempDir dir;
  const int hook_port = free_port();
  std::unique_ptr<Receivers> hooks = std::make_unique<Receivers>(hook_port);
  std::unique_ptr<RunningDaemon> front;
  std::unique_ptr<RunningDaemon> back;
};

TEST_F(ManyDoors, APersonEnrolledAtOneDoorIsNamedAtTheOtherWithinASecond) {
  const auto stranger = ring(*back, "back");
  EXPECT_EQ(stranger["kind"], "unknown");
  EXPECT_EQ(stranger["door"], "back");

  enroll(*front, front->admin_token(), "Dana", 2);
  const auto enrolled = std::chrono::steady_clock::now();
  const std::string loaded =
      "doorbell_gallery_index_samples{door=\"back\"} 1\n";  // each door's series say so
  ASSERT_TRUE(eventually(
      [&] { return back->client().Get("/metrics")->body.find(loaded) != std::string::npos; }, 1s, 10ms))
      << "the back door's index did not take Dana's sample within 1 s";
  std::cout << "a gallery change reached the other door's index in "
            << std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - enrolled).count()
            << " ms (polled every 10 ms)\n";
  const auto named = ring(*back, "back");
  EXPECT_EQ(named["kind"], "known") << named.dump();
  EXPECT_EQ(named["names"], json({"Dana"}));

  // One timeline: the front door serves the back door's events, and filters by door.
  const auto all = get(*front, "/api/events")["events"];
  EXPECT_EQ(all.size(), 2u);
  EXPECT_EQ(get(*front, "/api/events?door=back")["events"].size(), 2u);
  EXPECT_EQ(get(*front, "/api/events?door=front")["events"].size(), 0u);
  EXPECT_EQ(front->client().Get("/api/events?door=Back%20door")->status, 400) << "a door.id, not a name";
  EXPECT_EQ(get(*front, "/api/doors")["doors"], json::parse(R"([{"id": "back", "name": "Back door"}])"))
      << "the doors with events, by the names they gave";

  // Every picture at every door: the back door's snapshot at the front, Dana's face (enrolled at the
  // front) at the back — the same bytes at both, and none of them in a door's data directory.
  const auto snapshot = stranger["snapshot"].get<std::string>();
  EXPECT_EQ(picture(*front, snapshot), picture(*back, snapshot));
  const auto dana = std::to_string(get(*back, "/api/people")["people"][0]["id"].get<int>());
  const auto face = get(*back, "/api/people/" + dana + "/faces")["samples"][0]["image"].get<std::string>();
  EXPECT_EQ(picture(*back, face), picture(*front, face));
  for (const auto* door : {"front", "back"}) {
    EXPECT_FALSE(std::filesystem::exists(data_dir(door) / "events")) << door;
    EXPECT_FALSE(std::filesystem::exists(data_dir(door) / "faces")) << door;
  }
}

// Familiar faces are shared too: a stranger first seen at the back door is the same visitor at the front
// door's next ring a second later (not a second cluster), and a visitor ignored at one door is ignored at
// the other within a second.
TEST_F(ManyDoors, AVisitorSeenAtOneDoorIsFamiliarAtTheOther_AndIgnoredAtBothOnceIgnoredAtOne) {
  EXPECT_EQ(ring(*back, "back")["kind"], "unknown");
  std::this_thread::sleep_for(1s);  // the back door's new cluster reaches the front door within it
  EXPECT_EQ(ring(*front, "front")["kind"], "unknown");
  const auto visitors = get(*front, "/api/visitors")["visitors"];
  ASSERT_EQ(visitors.size(), 1u) << "one visitor, seen at both doors: " << visitors.dump();
  EXPECT_EQ(visitors[0]["seen"], 2);

  const auto id = std::to_string(visitors[0]["id"].get<int>());
  const auto ignored =
      back->client().Patch("/api/visitors/" + id, R"({"ignored": true})", "application/json");
  ASSERT_TRUE(ignored && ignored->status == 200) << (ignored ? ignored->body : "no answer");
  std::this_thread::sleep_for(1s);
  const auto postman = ring(*front, "front");
  EXPECT_EQ(postman["kind"], "ignored")
      << "ignored at the back door, ignored at the front: " << postman.dump();
  EXPECT_EQ(get(*back, "/api/visitors")["visitors"].size(), 1u);
}

// PostgreSQL away for 30 s while both doors ring: every ring is notified during the outage, the doors stay
// ready with storage degraded, and once the database is back every event is in the shared timeline once,
// its notification not sent again.
TEST_F(ManyDoors, RingsDuringAnOutageAreNotifiedAtOnceAndStoredOnceAfterIt) {
  const auto outage = std::chrono::steady_clock::now();
  server.stop();
  for (std::size_t n = 1; n <= 2; ++n) {
    for (auto* door : {front.get(), back.get()}) {
      EXPECT_EQ(door->client().Post("/api/ring", "", "text/plain")->status, 202);
    }
    EXPECT_EQ(hooks->wait_for("/front", n).size(), n) << front->process().output();
    EXPECT_EQ(hooks->wait_for("/back", n).size(), n) << back->process().output();
    std::this_thread::sleep_for(10s);
  }
  for (auto* door : {front.get(), back.get()}) {  // checked every second: degraded by now, still ready
    const auto storage = storage_readiness(*door);
    EXPECT_EQ(storage["state"], "degraded") << storage.dump();
    EXPECT_THAT(storage["detail"].get<std::string>(), ::testing::HasSubstr("shared database"));
    EXPECT_THAT(storage.dump(), ::testing::Not(::testing::HasSubstr("127.0.0.1")))
        << "no host on the open route";
  }
  EXPECT_THAT(front->client().Get("/metrics")->body,
              ::testing::HasSubstr("doorbell_component_degraded{component=\"storage\",door=\"front\"} 1"));
  std::this_thread::sleep_until(outage + 30s);
  ASSERT_EQ(server.start(), "");

  EXPECT_TRUE(eventually([&] { return get(*front, "/api/events")["events"].size() >= 4; }, 30s, 100ms))
      << front->process().output();
  std::this_thread::sleep_for(2s);  // a duplicate would come now
  const auto events = get(*back, "/api/events")["events"];
  ASSERT_EQ(events.size(), 4u) << events.dump() << back->process().output();
  EXPECT_EQ(get(*back, "/api/events?door=front")["events"].size(), 2u);
  EXPECT_EQ(get(*back, "/api/events?door=back")["events"].size(), 2u);
  for (const auto& e : events) {
    const auto deliveries = get(*back, "/api/events/" + std::to_string(e["id"].get<int>()))["deliveries"];
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(deliveries[0]["state"], "delivered") << "sent during the outage, and not again";
  }
  EXPECT_EQ(hooks->wait_for("/front", 3, 1s).size(), 2u) << "no notification twice";
  EXPECT_EQ(hooks->wait_for("/back", 3, 1s).size(), 2u) << "no notification twice";
  for (auto* door : {front.get(), back.get()})
    EXPECT_TRUE(eventually([&] { return storage_readiness(*door)["state"] == "ready"; }, 5s, 100ms));
}

// kill -9 of a door during an outage, after it decided and notified a ring: started again once the
// database is back, it stores that event from its own disk — once, decided (not "interrupted"), and not
// notified again.
TEST_F(ManyDoors, ADoorKilledDuringAnOutageStoresItsHeldRingWhenItStartsAgain) {
  server.stop();
  EXPECT_EQ(front->client().Post("/api/ring", "", "text/plain")->status, 202);
  ASSERT_EQ(hooks->wait_for("/front", 1).size(), 1u) << front->process().output();
  storage::Database disk(data_dir("front") / "doorbelld.db", storage::schema_migrations());
  ASSERT_TRUE(eventually(
      [&] {
        auto row = disk.prepare("SELECT deliveries FROM spooled_events");
        return row.step() && json::parse(row.text(0))[0]["state"] == "delivered";
      },
      10s, 50ms))
      << "held on disk, its delivery recorded: " << front->process().output();
  front->process().signal(SIGKILL);
  front.reset();
  ASSERT_EQ(server.start(), "");

  front = start("front", "Front door");
  ASSERT_TRUE(front->wait_for_status("/api/ready", 200)) << front->process().output();
  json events;
  EXPECT_TRUE(eventually(
      [&] {
        events = get(*back, "/api/events?door=front")["events"];
        return !events.empty();
      },
      30s, 100ms))
      << front->process().output();
  std::this_thread::sleep_for(2s);  // a duplicate, or the ring recorded as interrupted, would come now
  events = get(*back, "/api/events?door=front")["events"];
  ASSERT_EQ(events.size(), 1u) << events.dump() << front->process().output();
  EXPECT_NE(events[0]["kind"], "interrupted");
  ASSERT_TRUE(events[0]["snapshot"].is_string()) << "its snapshot came from the door's disk too";
  picture(*back, events[0]["snapshot"]);
  const auto deliveries =
      get(*back, "/api/events/" + std::to_string(events[0]["id"].get<int>()))["deliveries"];
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0]["state"], "delivered");
  EXPECT_EQ(hooks->wait_for("/front", 2, 1s).size(), 1u) << "not notified again";
  auto left = disk.prepare("SELECT count(*) FROM spooled_events");
  ASSERT_TRUE(left.step());
  EXPECT_EQ(left.integer(0), 0) << "off the door's disk once stored";
}

// A door restarted while the database is away (a power cut during an outage): it starts, ready with
// storage degraded, names the people it knew from its copy of the gallery, notifies at once, and stores
// the event when the database returns.
TEST_F(ManyDoors, ADoorStartedWhileTheDatabaseIsAwayNamesWhomItKnewAndStoresItsRingLater) {
  enroll(*front, front->admin_token(), "Dana", 2);
  ASSERT_TRUE(eventually(
      [&] {
        const auto copy = gallery::load_gallery_copy(data_dir("back") / "gallery-copy.cbor");
        return copy && copy->index.samples() == 1;
      },
      10s, 20ms))
      << "the back door's copy of the gallery has Dana";
  back.reset();
  server.stop();
  back = start("back", "Back door");
  ASSERT_TRUE(back->wait_for_status("/api/ready", 200)) << back->process().output();
  EXPECT_TRUE(eventually([&] { return storage_readiness(*back)["state"] == "degraded"; }, 5s, 100ms));
  ASSERT_TRUE(wait_until_assessed(*back));
  EXPECT_EQ(back->client().Post("/api/ring", "", "text/plain")->status, 202);
  const auto sent = hooks->wait_for("/back", 1);
  ASSERT_EQ(sent.size(), 1u) << back->process().output();
  EXPECT_EQ(json::parse(sent[0].body)["names"], json({"Dana"})) << "named from the door's copy";

  ASSERT_EQ(server.start(), "");
  json events;
  EXPECT_TRUE(eventually(
      [&] {
        events = get(*front, "/api/events?door=back")["events"];
        return !events.empty();
      },
      30s, 100ms))
      << back->process().output();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["kind"], "known");
  EXPECT_EQ(events[0]["names"], json({"Dana"}));
  EXPECT_EQ(hooks->wait_for("/back", 2, 1s).size(), 1u) << "not notified again";
}

// kill -9 of a door whose deliveries are failing (two rings): once its claims run out, the other door
// sends each, with its idempotency key and the snapshot, once.
TEST_F(ManyDoors, ADoorKilledWithDeliveriesPendingLeavesThemToTheOther_EachSentOnce) {
  hooks.reset();  // nobody listens: the front door's attempts fail and the deliveries stay pending
  for (int n = 0; n < 2; ++n) ring(*front, "front");
  std::set<std::string> keys;
  json deliveries;
  ASSERT_TRUE(eventually(
      [&] {
        keys.clear();
        deliveries = json::array();
        const auto events = get(*back, "/api/events?door=front");
        for (const auto& e : events["events"]) {
          const auto event = get(*back, "/api/events/" + std::to_string(e["id"].get<int>()));
          for (const auto& d : event["deliveries"]) {
            deliveries.push_back(d);
            if (d["state"] == "pending" && d["attempts"].get<int>() >= 1)
              keys.insert(d["idempotency_key"].get<std::string>());
          }
        }
        return keys.size() == 2;
      },
      30s, 100ms))
      << "two deliveries tried and pending: " << deliveries.dump();

  front->process().signal(SIGKILL);
  std::filesystem::remove_all(data_dir("front"));  // and its disk with it: the snapshots are not there
  hooks = std::make_unique<Receivers>(hook_port);
  const auto sent = hooks->wait_for("/", 2, 40s);
  ASSERT_EQ(sent.size(), 2u) << back->process().output();
  std::set<std::string> sent_keys;
  for (const auto& request : sent) {
    EXPECT_EQ(request.path, "/back") << "sent by the door that lives";
    EXPECT_FALSE(json::parse(request.body).value("image_base64", "").empty())
        << "with the snapshot the front door took";
    const auto key = request.headers.find("Idempotency-Key");
    ASSERT_NE(key, request.headers.end());
    sent_keys.insert(key->second);
  }
  EXPECT_EQ(sent_keys, keys) << "each of them";
  EXPECT_EQ(hooks->wait_for("/", 3, 3s).size(), 2u) << "each sent once";
}

}  // namespace
}  // namespace doorbell::testing
