// The gallery and identification API of the real daemon, with real models and images.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "support/daemon.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class HttpFacesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(daemon.wait_for_status("/api/ready", 200)) << daemon.process().output();
  }
  httplib::Headers auth() const { return {{"Authorization", "Bearer s3cret"}}; }

  RunningDaemon daemon{json{{"http", {{"api_token", "s3cret"}}}}};
};

TEST_F(HttpFacesTest, EnrollIdentifyListDelete) {
  auto res = daemon.anonymous_client().Post("/api/people", R"({"name": "Dana"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401) << "no token";
  auto c = daemon.client();
  res = c.Post("/api/people", auth(), R"({"name": "Dana"})", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  const auto id = json::parse(res->body)["id"].get<int>();
  res = c.Post("/api/people", auth(), R"({"name": "dana"})", "application/json");
  EXPECT_EQ(res->status, 409);
  EXPECT_EQ(json::parse(res->body)["error"]["code"], "name_conflict");

  const auto faces = "/api/people/" + std::to_string(id) + "/faces";
  res = c.Post(faces, auth(), file_bytes(portrait(2)), "image/jpeg");
  ASSERT_EQ(res->status, 201) << res->body;
  EXPECT_EQ(json::parse(res->body)["samples_added"], 1);

  res = c.Get("/api/people");
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(json::parse(res->body)["people"][0]["samples"], 1);

  httplib::MultipartFormDataItems upload{{"image", file_bytes(portrait(2)), "dana.jpg", "image/jpeg"}};
  res = c.Post("/api/identify", upload);
  ASSERT_EQ(res->status, 200) << res->body;
  const auto found = json::parse(res->body)["faces"];
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["result"], "known");
  EXPECT_EQ(found[0]["name"], "Dana");

  res = c.Delete("/api/people/" + std::to_string(id), auth());
  EXPECT_EQ(res->status, 200);
  res = c.Delete("/api/people/" + std::to_string(id), auth());
  EXPECT_EQ(res->status, 404);

  const auto metrics = c.Get("/metrics")->body;
  EXPECT_THAT(metrics, HasSubstr("doorbell_faces_total{result=\"known\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("doorbell_gallery_samples{kind=\"known\"} 0"));
  EXPECT_THAT(metrics, HasSubstr("doorbell_recognition_stage_seconds_count{stage=\"descriptor\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("doorbell_model_load_seconds "));
}

TEST_F(HttpFacesTest, EachErrorIsItsOwn4xxJson) {
  auto c = daemon.client();
  const auto id =
      json::parse(c.Post("/api/people", auth(), R"({"name": "Finn"})", "application/json")->body)["id"];
  const auto faces = "/api/people/" + std::to_string(id.get<int>()) + "/faces";
  const auto code_of = [](const httplib::Result& r) { return json::parse(r->body)["error"]["code"]; };

  auto res = c.Post(faces, auth(), "plain text", "text/plain");
  EXPECT_EQ(res->status, 415);
  EXPECT_EQ(code_of(res), "not_an_image");
  res = c.Post(faces, auth(), file_bytes(portrait(1)), "image/jpeg");
  EXPECT_EQ(res->status, 422);
  EXPECT_EQ(code_of(res), "several_faces");
  res = c.Post("/api/people/999/faces", auth(), file_bytes(portrait(2)), "image/jpeg");
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(code_of(res), "unknown_person");
  res = c.Post(faces, auth(), "", "image/jpeg");
  EXPECT_EQ(res->status, 400);
  res = c.Post("/api/people", auth(), "{not json", "application/json");
  EXPECT_EQ(res->status, 400);
  res = c.Post("/api/people", auth(), R"({"name": "G", "kind": "friend"})", "application/json");
  EXPECT_EQ(res->status, 400);
  res = c.Post("/api/people", {{"Authorization", "Bearer wrong"}}, R"({"name": "H"})", "application/json");
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(json::parse(c.Get("/api/people")->body)["people"][0]["samples"], 0) << "nothing half-written";
}

TEST(HttpFacesWithoutCredentials, PrivateRoutesAreClosedSayingHowToOpenThem) {
  RunningDaemon daemon{json{{"http", {{"api_token", ""}}}}};
  ASSERT_TRUE(daemon.wait_for_status("/api/ready", 200)) << daemon.process().output();
  for (const auto& res : {daemon.client().Post("/api/people", R"({"name": "X"})", "application/json"),
                          daemon.client().Get("/api/people")}) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403);
    EXPECT_THAT(res->body, HasSubstr("no credentials are configured"));
  }
}

TEST(HttpFacesWithoutModel, NotReadyNamingTheFileButAlive) {
  RunningDaemon daemon(json{{"recognition", {{"resnet_model", "/nonexistent/resnet.dat"}}}});
  ASSERT_TRUE(daemon.wait_for_status("/api/health", 200)) << daemon.process().output();
  auto res = daemon.client().Get("/api/ready");
  EXPECT_EQ(res->status, 503);
  const auto body = json::parse(res->body);
  EXPECT_EQ(body["components"]["recognition"]["state"], "not_ready");
  EXPECT_THAT(body["components"]["recognition"]["detail"].get<std::string>(),
              HasSubstr("/nonexistent/resnet.dat"));
  EXPECT_THAT(daemon.process().output(), HasSubstr("recognition.resnet_model"));
}

}  // namespace
}  // namespace doorbell::testing
