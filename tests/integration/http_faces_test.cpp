// The gallery and identification API of the real daemon, with real models and images.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <iterator>

#include "support/daemon.hpp"
#include "support/images.hpp"
#include "support/private_files.hpp"
#include "support/raw_socket.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

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

  RunningDaemon daemon{json{{"http", {{"api_token", "s3cret"}, {"max_body_bytes", 2 * 1024 * 1024}}}}};
};

// The daemon's peak resident memory so far (VmHWM), in bytes.
long peak_rss(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) * 1024;
  }
  return -1;
}

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
  EXPECT_THAT(open_to_others(daemon.data_dir()), ::testing::IsEmpty())
      << "face crops and the database are private";

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

TEST_F(HttpFacesTest, TheFaceLibraryShowsRenamesMovesAndPrunesAPerson) {
  auto c = daemon.client();
  const auto code_of = [](const httplib::Result& r) { return json::parse(r->body)["error"]["code"]; };
  const auto id =
      json::parse(c.Post("/api/people", auth(), R"({"name": "Dana"})", "application/json")->body)["id"]
          .get<int>();
  c.Post("/api/people", auth(), R"({"name": "Sam"})", "application/json");
  const auto person = "/api/people/" + std::to_string(id);
  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(c.Post(person + "/faces", auth(), file_bytes(portrait(2)), "image/jpeg")->status, 201);

  // Each sample, with its aligned face.
  auto res = c.Get(person + "/faces", auth());
  ASSERT_EQ(res->status, 200) << res->body;
  const auto samples = json::parse(res->body)["samples"];
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0]["source"], "upload");
  EXPECT_GT(samples[0]["width_px"].get<double>(), 100.0);
  const auto image = samples[0]["image"].get<std::string>();
  res = c.Get(image, auth());
  ASSERT_EQ(res->status, 200) << image;
  EXPECT_EQ(res->get_header_value("Content-Type"), "image/jpeg");
  EXPECT_EQ(res->body.substr(0, 3), "\xFF\xD8\xFF") << "a JPEG";
  EXPECT_EQ(c.Get(person + "/faces/999999.jpg", auth())->status, 404);
  EXPECT_EQ(c.Get("/api/people/999999/faces", auth())->status, 404);

  // Renamed, then moved to the blacklist: the next identification says so.
  res = c.Patch(person, auth(), R"({"name": "Dana Scully"})", "application/json");
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json::parse(res->body)["name"], "Dana Scully");
  res = c.Patch(person, auth(), R"({"name": "sam"})", "application/json");
  EXPECT_EQ(res->status, 409);
  EXPECT_EQ(code_of(res), "name_conflict");
  EXPECT_EQ(c.Patch(person, auth(), R"({"kind": "friend"})", "application/json")->status, 400);
  EXPECT_EQ(c.Patch(person, auth(), R"({})", "application/json")->status, 400);
  EXPECT_EQ(c.Patch("/api/people/999999", auth(), R"({"kind": "known"})", "application/json")->status, 404);
  res = c.Patch(person, auth(), R"({"kind": "blacklist"})", "application/json");
  ASSERT_EQ(res->status, 200) << res->body;
  httplib::MultipartFormDataItems upload{{"image", file_bytes(portrait(2)), "door.jpg", "image/jpeg"}};
  auto found = json::parse(c.Post("/api/identify", auth(), upload)->body)["faces"];
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["result"], "blacklisted");
  EXPECT_EQ(found[0]["name"], "Dana Scully");

  // One sample removed: its row and its file.
  const auto file_count = [&] {
    const auto dir = daemon.data_dir() / "faces" / std::to_string(id);
    return std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator());
  };
  EXPECT_EQ(file_count(), 2);
  const auto first = person + "/faces/" + std::to_string(samples[0]["id"].get<int>());
  EXPECT_EQ(c.Delete(first, auth())->status, 200);
  EXPECT_EQ(c.Delete(first, auth())->status, 404);
  EXPECT_EQ(file_count(), 1);
  EXPECT_EQ(json::parse(c.Get(person + "/faces", auth())->body)["samples"].size(), 1u);
  EXPECT_THAT(c.Get("/metrics")->body, HasSubstr("doorbell_gallery_samples{kind=\"blacklist\"} 1"));
}

// One person's life in the face library, by a household member logged in to the app, as the audit trail
// tells it: who, from where, what, and each name as it was then — and nothing secret.
TEST_F(HttpFacesTest, TheAuditTrailTellsAnEnrolmentToDeletionStory) {
  TempDir input;
  const auto added = run_command({DOORBELLD_BINARY, "--config", daemon.config_file(), "user", "add", "Alex"},
                                 {}, input.write("password", "alex-password\n"));
  ASSERT_EQ(added.exit_code, 0) << added.output;
  auto app = daemon.anonymous_client();
  EXPECT_EQ(
      app.Post("/api/login", R"({"user": "alex", "password": "wrong-password"})", "application/json")->status,
      401);
  EXPECT_EQ(
      app.Post("/api/login", R"({"user": "my-Secret-pw", "password": "x"})", "application/json")->status, 401)
      << "a password typed as the name: no such user, so written nowhere";
  const auto login =
      app.Post("/api/login", R"({"user": "alex", "password": "alex-password"})", "application/json");
  ASSERT_EQ(login->status, 200) << login->body;
  const auto set_cookie = login->get_header_value("Set-Cookie");
  const httplib::Headers session{{"Cookie", set_cookie.substr(0, set_cookie.find(';'))},
                                 {"X-CSRF-Token", json::parse(login->body)["csrf_token"]}};

  auto res = app.Post("/api/people", session, R"({"name": "Sam"})", "application/json");
  ASSERT_EQ(res->status, 201) << res->body;
  const auto id = std::to_string(json::parse(res->body)["id"].get<int>());
  const auto person = "/api/people/" + id;
  ASSERT_EQ(app.Post(person + "/faces", session, file_bytes(portrait(2)), "image/jpeg")->status, 201);
  ASSERT_EQ(app.Patch(person, session, R"({"name": "Sam Smith"})", "application/json")->status, 200);
  ASSERT_EQ(app.Patch(person, session, R"({"kind": "blacklist"})", "application/json")->status, 200);
  EXPECT_EQ(app.Patch(person, session, R"({"kind": "friend"})", "application/json")->status, 400)
      << "a refused change is not in the trail";
  const auto sample = json::parse(app.Get(person + "/faces", session)->body)["samples"][0]["id"].get<int>();
  ASSERT_EQ(app.Delete(person + "/faces/" + std::to_string(sample), session)->status, 200);
  ASSERT_EQ(app.Delete(person, session)->status, 200);
  ASSERT_EQ(app.Post("/api/logout", session, "", "text/plain")->status, 200);

  res = daemon.client().Get("/api/audit", auth());
  ASSERT_EQ(res->status, 200) << res->body;
  const auto entries = json::parse(res->body)["entries"];
  std::vector<std::string> story;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    const auto& e = *it;
    story.push_back(fmt::format("{} {} \"{}\" {}", e["actor"]["name"].get<std::string>(),
                                e["action"].get<std::string>(), e["object"]["name"].get<std::string>(),
                                e["detail"].get<std::string>()));
  }
  EXPECT_THAT(
      story, ::testing::ElementsAre(
                 ::testing::StartsWith("cli:"), "anonymous login.failed \"Alex\" wrong user name or password",
                 "anonymous login.failed \"(no such user)\" wrong user name or password",
                 "Alex login.succeeded \"Alex\" admin", "Alex person.created \"Sam\" known",
                 "Alex sample.added \"Sam\" 1 photo(s)", "Alex person.renamed \"Sam Smith\" was Sam",
                 "Alex person.moved \"Sam Smith\" known → blacklist",
                 "Alex sample.removed \"Sam Smith\" photo " + std::to_string(sample),
                 "Alex person.removed \"Sam Smith\" ", "Alex login.ended \"Alex\" logged out"));
  RecordProperty("audit_entries_of_the_story", static_cast<int>(entries.size()));
  for (const auto& e : entries) {
    EXPECT_EQ(e["actor"]["address"], e["actor"]["kind"] == "cli" ? "" : "127.0.0.1") << e.dump();
  }
  EXPECT_THAT(res->body, Not(HasSubstr("wrong-password"))) << "no password, tried or right";
  EXPECT_THAT(res->body, Not(HasSubstr("alex-password")));
  EXPECT_THAT(res->body, Not(HasSubstr("my-Secret-pw")));
  EXPECT_THAT(daemon.process().output(), Not(HasSubstr("my-Secret-pw")));

  const auto history = json::parse(
      daemon.client().Get("/api/audit?object_type=person&object_id=" + id, auth())->body)["entries"];
  EXPECT_EQ(history.size(), 6u) << "Sam's own history";
  const auto page = json::parse(daemon.client().Get("/api/audit?limit=4", auth())->body);
  EXPECT_EQ(page["entries"].size(), 4u);
  EXPECT_EQ(page["next"],
            "/api/audit?before=" + std::to_string(page["entries"][3]["id"].get<int>()) + "&limit=4");
  EXPECT_EQ(daemon.client().Get("/api/audit?action=Person;drop", auth())->status, 400);
  EXPECT_THAT(daemon.client().Get("/metrics")->body,
              HasSubstr("doorbell_audit_entries_total{action=\"person.renamed\"} 1"));
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

TEST_F(HttpFacesTest, DecompressionBombsAre413InMillisecondsWithoutTheMemory) {
  auto c = daemon.client();
  const auto before = peak_rss(daemon.process().pid());
  for (const char* ext : {".jpg", ".png"}) {
    const auto bytes = bomb_image(ext);
    const std::string body(bytes.begin(), bytes.end());
    const auto began = std::chrono::steady_clock::now();
    const auto res = c.Post("/api/identify", auth(), body, ext[1] == 'j' ? "image/jpeg" : "image/png");
    const auto ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 413) << ext << ": " << res->body;
    EXPECT_THAT(res->body, HasSubstr("30000x30000"));
    EXPECT_LT(ms, 100) << ext;
    RecordProperty(std::string("bomb_ms") + ext, static_cast<int>(ms));
  }
  const auto growth = peak_rss(daemon.process().pid()) - before;
  EXPECT_LT(growth, 50L * 1024 * 1024) << "peak RSS growth";
  RecordProperty("bomb_peak_rss_growth_kb", static_cast<int>(growth / 1024));
}

TEST_F(HttpFacesTest, HostileInputGetsAClear4xxAndEnrollsNothing) {
  auto c = daemon.client();
  const auto code_of = [](const httplib::Result& r) { return json::parse(r->body)["error"]["code"]; };
  const auto id =
      json::parse(c.Post("/api/people", auth(), R"({"name": "Jose\u0301"})", "application/json")->body);
  EXPECT_EQ(id["name"], "Jos\xC3\xA9") << "stored in NFC";
  auto res = c.Post("/api/people", auth(), "{\"name\": \"Jos\xC3\xA9\"}", "application/json");
  EXPECT_EQ(res->status, 409) << "the NFC spelling is the same person";
  res = c.Post("/api/people", auth(),
               "{\"name\": \"Eve\xE2\x80\xAE"
               "evE\"}",
               "application/json");
  EXPECT_EQ(res->status, 400);
  EXPECT_THAT(res->body, HasSubstr("U+202E"));
  res = c.Post("/api/people", auth(), R"({"name": 5})", "application/json");
  EXPECT_EQ(res->status, 400);
  EXPECT_THAT(res->body, HasSubstr("\\\"name\\\" must be a string, got number"));
  res = c.Post("/api/people", auth(), R"({"name": "Kim", "kind": ["known"]})", "application/json");
  EXPECT_EQ(res->status, 400);
  EXPECT_THAT(res->body, HasSubstr("\\\"kind\\\" must be a string, got array"));

  const auto faces = "/api/people/" + std::to_string(id["id"].get<int>()) + "/faces";
  auto portrait_bytes = file_bytes(portrait(2));
  res = c.Post(faces, auth(), portrait_bytes.substr(0, portrait_bytes.size() / 2), "image/jpeg");
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(code_of(res), "truncated_image");

  for (const auto* path :
       {"/api/events/9223372036854775808", "/api/events/99999999999999999999999/snapshot.jpg"}) {
    res = c.Get(path, auth());
    EXPECT_EQ(res->status, 400) << path;
  }
  EXPECT_EQ(c.Delete("/api/people/9223372036854775808", auth())->status, 400);
  res = c.Get("/api/events?since=yesterday", auth());
  EXPECT_EQ(res->status, 400);
  EXPECT_THAT(res->body, HasSubstr("since must be an ISO 8601"));
  EXPECT_EQ(c.Get("/api/events?since=2026-11-03&until=2026-11-04T10:00:00%2B01:00", auth())->status, 200);

  // A chunked body over http.max_body_bytes, to a route that takes images.
  RawSocket chunked(daemon.port());
  chunked.send("POST " + faces +
               " HTTP/1.1\r\nAuthorization: Bearer s3cret\r\nTransfer-Encoding: chunked\r\n\r\n");
  const std::string chunk = "100000\r\n" + std::string(0x100000, 'x') + "\r\n";  // 1 MiB
  for (int i = 0; i < 3 && chunked.send(chunk); ++i) {
  }
  EXPECT_THAT(chunked.receive_until("}", 5s), HasSubstr("HTTP/1.1 413"));
  const auto metrics = c.Get("/metrics")->body;
  EXPECT_THAT(metrics,
              Not(HasSubstr("doorbell_http_handler_exceptions_total{route=\"/api/events/(\\d+)\"} 1")));
  EXPECT_EQ(json::parse(c.Get("/api/people")->body)["people"][0]["samples"], 0) << "nothing enrolled";
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
