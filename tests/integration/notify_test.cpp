// Notifications from the real daemon to real receivers on loopback: a webhook receiver that checks the
// HMAC, an ntfy and a Telegram Bot API stand-in, and a real mosquitto broker with a subscribed client.
// Receivers down, then back; the daemon killed with deliveries pending, then restarted.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/hmac.h>

#include "support/doorstep.hpp"
#include "support/http_receivers.hpp"
#include "support/mqtt.hpp"
#include "support/tls_files.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

std::string hmac_hex(const std::string& key, const std::string& body) {
  unsigned char digest[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

bool is_jpeg(const std::string& bytes) {
  return bytes.size() > 100 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
         static_cast<unsigned char>(bytes[1]) == 0xD8;
}

class NotifyTest : public ::testing::Test {
 protected:
  std::unique_ptr<RunningDaemon> start(const json& extra) {
    write_doorstep(camera_dir);
    json config{{"http", {{"api_token", "t"}}},
                {"storage", {{"data_dir", (dir.path() / "data").string()}}},
                {"camera", {{"source", camera_dir.string()}, {"fps", 10}}},
                {"pipeline", {{"hold_off_seconds", 0}, {"workers", 1}}},
                {"notify",
                 {{"public_url", "http://door.test:8080"},
                  {"retry_initial_seconds", 0.2},
                  {"retry_max_seconds", 0.5}}}};
    config.merge_patch(extra);
    auto daemon = std::make_unique<RunningDaemon>(config);
    EXPECT_TRUE(daemon->wait_for_status("/api/ready", 200)) << daemon->process().output();
    return daemon;
  }

  json deliveries(RunningDaemon& daemon, int event_id) {
    return json::parse(daemon.client().Get("/api/events/" + std::to_string(event_id))->body)["deliveries"];
  }

  json webhook_to(int receiver_port) {
    return {{"url", "http://127.0.0.1:" + std::to_string(receiver_port) + "/hook"}, {"secret", "s3cret"}};
  }

  TempDir dir;
  std::filesystem::path camera_dir = dir.path() / "camera";
  int port = free_port();
};

TEST_F(NotifyTest, EveryChannelHearsWhoIsAtTheDoorWithTheSnapshot) {
  Receivers receivers(port);
  MosquittoBroker broker;
  MqttSubscriber subscriber(broker.port());
  const auto base = "http://127.0.0.1:" + std::to_string(port);
  auto daemon = start({{"webhook", webhook_to(port)},
                       {"ntfy", {{"url", base + "/ntfy/door"}}},
                       {"telegram", {{"api_url", base + "/tg"}, {"bot_token", "123:ABC"}, {"chat_id", "42"}}},
                       {"mqtt", {{"host", "127.0.0.1"}, {"port", broker.port()}}}});
  enroll(*daemon, "t", "Dana", 2);
  const auto event = ring_and_wait(*daemon, "t");
  ASSERT_EQ(event["kind"], "known");
  const int id = event["id"];

  // Webhook: the event JSON, signed.
  const auto hooks = receivers.wait_for("/hook", 1);
  ASSERT_EQ(hooks.size(), 1u) << daemon->process().output();
  const auto& hook = hooks[0];
  const auto body = json::parse(hook.body);
  EXPECT_EQ(body["event_id"], id);
  EXPECT_EQ(body["event_type"], "known");
  EXPECT_EQ(body["names"], json::array({"Dana"}));
  EXPECT_LT(body["faces"][0]["distance"].get<double>(), 0.6);
  EXPECT_EQ(body["snapshot_url"], fmt::format("http://door.test:8080/api/events/{}/snapshot.jpg", id));
  EXPECT_EQ(body["page_url"], fmt::format("http://door.test:8080/#/events/{}", id));
  EXPECT_EQ(hook.headers.find("X-Doorbell-Signature")->second, "sha256=" + hmac_hex("s3cret", hook.body));
  EXPECT_EQ(hook.headers.find("Idempotency-Key")->second, body["idempotency_key"]);

  // Telegram: sendPhoto, multipart, with the chat, a caption naming the visitor and the JPEG.
  const auto telegram = receivers.wait_for("/tg/", 1);
  ASSERT_EQ(telegram.size(), 1u);
  EXPECT_EQ(telegram[0].path, "/tg/bot123:ABC/sendPhoto");
  ASSERT_EQ(telegram[0].files.count("chat_id"), 1u);
  EXPECT_EQ(telegram[0].files.at("chat_id").content, "42");
  EXPECT_THAT(telegram[0].files.at("caption").content, HasSubstr("Dana is at the door"));
  EXPECT_EQ(telegram[0].files.at("photo").filename, "snapshot.jpg");
  EXPECT_TRUE(is_jpeg(telegram[0].files.at("photo").content));
  ASSERT_EQ(telegram[0].files.count("reply_markup"), 1u) << "a button to the visit's page";
  const auto button = json::parse(telegram[0].files.at("reply_markup").content)["inline_keyboard"][0][0];
  EXPECT_EQ(button["text"], "Open");
  EXPECT_EQ(button["url"], fmt::format("http://door.test:8080/#/events/{}", id));

  // ntfy: the snapshot as attachment, the words in headers.
  const auto ntfy = receivers.wait_for("/ntfy/door", 1);
  ASSERT_EQ(ntfy.size(), 1u);
  EXPECT_EQ(ntfy[0].method, "PUT");
  EXPECT_TRUE(is_jpeg(ntfy[0].body));
  EXPECT_EQ(ntfy[0].headers.find("Title")->second, "Doorbell: Dana");
  EXPECT_EQ(ntfy[0].headers.find("Priority")->second, "default");
  EXPECT_EQ(ntfy[0].headers.find("Filename")->second, "snapshot.jpg");
  EXPECT_EQ(ntfy[0].headers.find("Click")->second, fmt::format("http://door.test:8080/#/events/{}", id));
  EXPECT_EQ(ntfy[0].headers.find("Actions")->second,
            fmt::format("view, Open, http://door.test:8080/#/events/{}", id));

  // MQTT: the event, the snapshot, the visitor, availability and Home Assistant discovery.
  const auto mqtt_event = subscriber.wait_for("doorbelld/event", 10s);
  ASSERT_TRUE(mqtt_event) << broker.log();
  EXPECT_EQ(json::parse(mqtt_event->payload)["event_type"], "known");
  const auto snapshot = subscriber.wait_for("doorbelld/snapshot", 5s);
  ASSERT_TRUE(snapshot);
  EXPECT_TRUE(is_jpeg(snapshot->payload));
  EXPECT_EQ(subscriber.wait_for("doorbelld/last_visitor", 5s)->payload, "Dana");
  EXPECT_EQ(subscriber.wait_for("doorbelld/availability", 5s)->payload, "online");
  const auto ring_entity = subscriber.wait_for("homeassistant/event/doorbelld/ring/config", 5s);
  ASSERT_TRUE(ring_entity);
  const auto ring_config = json::parse(ring_entity->payload);
  EXPECT_EQ(ring_config["state_topic"], "doorbelld/event");
  EXPECT_EQ(ring_config["device_class"], "doorbell");
  EXPECT_EQ(ring_config["event_types"], json::array({"blacklisted", "known", "unknown", "ignored", "no_face",
                                                     "interrupted", "camera_unavailable"}));
  EXPECT_EQ(ring_config["availability_topic"], "doorbelld/availability");
  const auto image_entity = subscriber.wait_for("homeassistant/image/doorbelld/snapshot/config", 5s);
  ASSERT_TRUE(image_entity);
  EXPECT_EQ(json::parse(image_entity->payload)["image_topic"], "doorbelld/snapshot");
  const auto sensor_entity = subscriber.wait_for("homeassistant/sensor/doorbelld/last_visitor/config", 5s);
  ASSERT_TRUE(sensor_entity);
  EXPECT_EQ(json::parse(sensor_entity->payload)["state_topic"], "doorbelld/last_visitor");
  MqttSubscriber late(broker.port());  // as Home Assistant after a restart
  const auto kept = late.wait_for("homeassistant/sensor/doorbelld/last_visitor/config", 5s);
  ASSERT_TRUE(kept);
  EXPECT_TRUE(kept->retained) << "discovery is retained for Home Assistant restarts";
  EXPECT_TRUE(late.wait_for("doorbelld/snapshot", 5s)->retained) << "the image entity shows the last visitor";

  // The event shows each channel's delivery, and the metrics count them.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  json states;
  while (std::chrono::steady_clock::now() < deadline) {
    states = deliveries(*daemon, id);
    if (std::all_of(states.begin(), states.end(), [](const json& d) { return d["state"] == "delivered"; }))
      break;
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(states.size(), 4u) << states.dump();
  for (const auto& d : states) EXPECT_EQ(d["state"], "delivered") << d.dump();
  const auto metrics = daemon->client().Get("/metrics")->body;
  for (const char* channel : {"webhook", "ntfy", "telegram", "mqtt"}) {
    EXPECT_THAT(metrics,
                HasSubstr(fmt::format(
                    "doorbell_notifications_total{{channel=\"{}\",outcome=\"delivered\"}} 1", channel)));
    EXPECT_THAT(metrics, HasSubstr(fmt::format("doorbell_outbox_pending{{channel=\"{}\"}} 0", channel)));
  }
}

TEST_F(NotifyTest, AReceiverThatIsDownGetsTheNotificationOnceItIsBack) {
  auto daemon = start({{"webhook", webhook_to(port)}});
  const int id = ring_and_wait(*daemon, "t")["id"];
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (deliveries(*daemon, id)[0]["attempts"].get<int>() < 2 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  const auto waiting = deliveries(*daemon, id)[0];
  EXPECT_EQ(waiting["state"], "pending");
  EXPECT_GE(waiting["attempts"].get<int>(), 2) << "retried while the receiver was down";
  EXPECT_THAT(waiting["last_error"].get<std::string>(), HasSubstr("no answer"));
  EXPECT_THAT(daemon->client().Get("/metrics")->body,
              HasSubstr("doorbell_outbox_pending{channel=\"webhook\"} 1"));

  Receivers receivers(port);
  const auto hooks = receivers.wait_for("/hook", 1);
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(json::parse(hooks[0].body)["event_id"], id);
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (deliveries(*daemon, id)[0]["state"] != "delivered" && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(deliveries(*daemon, id)[0]["state"], "delivered");
  EXPECT_THAT(daemon->client().Get("/metrics")->body,
              ::testing::ContainsRegex("doorbell_notification_retries_total\\{channel=\"webhook\"\\} [1-9]"));
}

// HTTPS and MQTT over TLS to receivers whose certificates a test CA signed: trusted through
// notify.ca_file and mqtt.tls_ca_file, refused without them.
TEST_F(NotifyTest, TlsReceiversAreReachedAndVerified) {
  TlsFiles tls;
  tls.issue("receiver");
  Receivers receivers(port, tls.cert("receiver").string(), tls.key("receiver").string());
  MosquittoBroker broker(free_port(), MosquittoBroker::Tls{tls.ca().string(), tls.cert("receiver").string(),
                                                           tls.key("receiver").string()});
  MqttSubscriber subscriber(broker.port());  // plain, on the broker's other listener
  const json hook{{"url", "https://localhost:" + std::to_string(port) + "/hook"}, {"secret", "s3cret"}};
  auto daemon = start({{"webhook", hook},
                       {"notify", {{"ca_file", tls.ca().string()}}},
                       {"mqtt",
                        {{"host", "localhost"},
                         {"port", broker.tls_port()},
                         {"tls", true},
                         {"tls_ca_file", tls.ca().string()}}}});
  const int id = ring_and_wait(*daemon, "t")["id"];
  EXPECT_EQ(receivers.wait_for("/hook", 1).size(), 1u) << "HTTPS verified with notify.ca_file";
  const auto event = subscriber.wait_for("doorbelld/event", 10s);
  ASSERT_TRUE(event) << broker.log() << daemon->process().output();
  EXPECT_EQ(json::parse(event->payload)["event_id"], id) << "MQTT over TLS";
  daemon.reset();

  // The system's CAs do not know the test CA: the deliveries fail verification and wait for retries.
  auto untrusting = start({{"storage", {{"data_dir", (dir.path() / "other").string()}}}, {"webhook", hook}});
  const int other = ring_and_wait(*untrusting, "t")["id"];
  EXPECT_TRUE(eventually([&] { return deliveries(*untrusting, other)[0]["attempts"].get<int>() >= 1; }, 10s));
  const auto waiting = deliveries(*untrusting, other)[0];
  EXPECT_EQ(waiting["state"], "pending");
  EXPECT_THAT(waiting["last_error"].get<std::string>(), HasSubstr("SSLServerVerification"));
  EXPECT_EQ(receivers.wait_for("/hook", 2, 1s).size(), 1u) << "nothing reached the receiver";
}

TEST_F(NotifyTest, MqttReconnectsByItselfAndDeliversWhatWaited) {
  auto broker = std::make_unique<MosquittoBroker>();
  const int broker_port = broker->port();
  auto daemon = start(
      {{"mqtt", {{"host", "127.0.0.1"}, {"port", broker_port}}}, {"notify", {{"cooldown_seconds", 0}}}});
  const int first = ring_and_wait(*daemon, "t")["id"];
  const auto sent = std::chrono::steady_clock::now() + 10s;
  while (deliveries(*daemon, first)[0]["state"] != "delivered" && std::chrono::steady_clock::now() < sent) {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(deliveries(*daemon, first)[0]["state"], "delivered");
  broker.reset();  // the broker goes away
  const int id = ring_and_wait(*daemon, "t")["id"];
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (deliveries(*daemon, id)[0]["attempts"].get<int>() < 1 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(deliveries(*daemon, id)[0]["state"], "pending");

  broker = std::make_unique<MosquittoBroker>(broker_port);
  MqttSubscriber subscriber(broker_port);
  const auto event = subscriber.wait_for("doorbelld/event", 40s);
  ASSERT_TRUE(event) << daemon->process().output();
  EXPECT_EQ(json::parse(event->payload)["event_id"], id);
  EXPECT_EQ(subscriber.wait_for("doorbelld/availability", 5s)->payload, "online");
}

TEST_F(NotifyTest, PendingNotificationsSurviveKillDashNine) {
  std::string key;
  int id = 0;
  {
    auto daemon = start({{"webhook", webhook_to(port)},
                         {"notify", {{"retry_initial_seconds", 1}, {"retry_max_seconds", 1}}}});
    id = ring_and_wait(*daemon, "t")["id"];
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (deliveries(*daemon, id)[0]["attempts"].get<int>() < 1 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
    }
    key = deliveries(*daemon, id)[0]["idempotency_key"];
    daemon->process().signal(SIGKILL);
    EXPECT_EQ(daemon->process().wait_exit(5s), 128 + SIGKILL);
  }
  Receivers receivers(port);
  auto daemon = start({{"webhook", webhook_to(port)}});
  const auto hooks = receivers.wait_for("/hook", 1);
  ASSERT_GE(hooks.size(), 1u) << daemon->process().output();
  for (const auto& hook : hooks) {
    EXPECT_EQ(json::parse(hook.body)["event_id"], id);
    EXPECT_EQ(hook.headers.find("Idempotency-Key")->second, key) << "a duplicate carries the same key";
  }
}

}  // namespace
}  // namespace doorbell::testing
