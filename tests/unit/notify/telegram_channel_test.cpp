#include "notify/telegram_channel.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <thread>
#include <vector>

namespace doorbell::notify {
namespace {

model::Event stranger() {
  model::Event e;
  e.id = 7;
  e.time = "2026-12-02T10:00:00.000Z";
  e.source = "gpio";
  e.kind = model::EventKind::unknown;
  return e;
}

// A Bot API stand-in that, like Telegram for a localhost address, refuses a button's URL.
class RefusingButtons : public ::testing::Test {
 protected:
  void SetUp() override {
    server.Post(R"(/bot[^/]+/sendMessage)", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex);
      texts.push_back(req.get_file_value("text").content);
      if (req.has_file("reply_markup")) {
        res.status = 400;
        res.set_content(R"({"ok":false,"error_code":400,"description":"Bad Request: BUTTON_URL_INVALID"})",
                        "application/json");
        return;
      }
      res.set_content(R"({"ok":true})", "application/json");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
  }
  void TearDown() override {
    server.stop();
    thread.join();
  }

  httplib::Server server;
  int port = 0;
  std::thread thread;
  std::mutex mutex;
  std::vector<std::string> texts;
};

TEST_F(RefusingButtons, ANotificationWhoseButtonTelegramRefusesGoesWithTheLinkInItsText) {
  TelegramConfig config;
  config.api_url = "http://127.0.0.1:" + std::to_string(port);
  config.bot_token = "123:ABC";
  config.chat_id = "42";
  TelegramChannel channel(config, Transport{});
  const auto event = stranger();
  const Notice notice{event, {}, "", "http://localhost:8080/#/events/7", "key", ""};
  ASSERT_NO_THROW(channel.send(notice));
  std::lock_guard lock(mutex);
  ASSERT_EQ(texts.size(), 2u) << "with the button, then without";
  EXPECT_EQ(texts[0].find("http://localhost:8080/#/events/7"), std::string::npos);
  EXPECT_NE(texts[1].find("http://localhost:8080/#/events/7"), std::string::npos);
}

TEST_F(RefusingButtons, AnotherRefusalIsAFailedDelivery) {
  TelegramConfig config;
  config.api_url = "http://127.0.0.1:" + std::to_string(port) + "/elsewhere";
  config.bot_token = "123:ABC";
  config.chat_id = "42";
  TelegramChannel channel(config, Transport{});
  const auto event = stranger();
  EXPECT_THROW(channel.send({event, {}, "", "http://door.lan/#/events/7", "key", ""}), DeliveryError);
}

}  // namespace
}  // namespace doorbell::notify
