// HTTPS on the daemon's port with a certificate of a test CA: real clients (curl, openssl), plain HTTP
// beside it (probes answered, the rest redirected), secure cookies, and a new certificate on SIGHUP.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>

#include "support/daemon.hpp"
#include "support/tls_files.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

// Connects (over TLS when `tls`), sends `request` `times` times without reading, waits for the first
// bytes of the answers, then closes with a TCP reset while the daemon is still writing them.
void reset_mid_answer(int port, bool tls, const std::string& request, int times) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  SSL* ssl = nullptr;
  if (tls) {
    ssl = SSL_new(context);
    SSL_set_fd(ssl, fd);
    ASSERT_EQ(SSL_connect(ssl), 1);
  }
  for (int i = 0; i < times; ++i) {
    if (tls) {
      ASSERT_GT(SSL_write(ssl, request.data(), static_cast<int>(request.size())), 0);
    } else {
      ASSERT_GT(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), 0);
    }
  }
  pollfd p{fd, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 5000), 1) << "an answer began";
  const linger reset{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  ::close(fd);
  if (ssl != nullptr) SSL_free(ssl);
  SSL_CTX_free(context);
}

class TlsTest : public ::testing::Test {
 protected:
  static TlsFiles& files() {
    static const auto made = [] {
      auto f = std::make_unique<TlsFiles>();
      f->issue("first");
      f->issue("second");
      return f;
    }();
    return *made;
  }
  void SetUp() override {
    std::filesystem::copy_file(files().cert("first"), dir.path() / "tls.pem");
    std::filesystem::copy_file(files().key("first"), dir.path() / "tls.key");
    json config{
        {"http",
         {{"tls_cert", (dir.path() / "tls.pem").string()}, {"tls_key", (dir.path() / "tls.key").string()}}}};
    config.merge_patch(kWithoutRecognition);  // TLS needs no face model: start at once
    daemon = std::make_unique<RunningDaemon>(config);
    ASSERT_TRUE(daemon->wait_for_status("/api/health", 200)) << daemon->process().output();
  }
  // curl over HTTPS verifying the test CA; its output with the status code last.
  CommandResult curl(const std::string& path, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv{"/usr/bin/curl",
                                  "-sS",
                                  "--cacert",
                                  files().ca().string(),
                                  "-w",
                                  "\n%{http_code}",
                                  "-H",
                                  "Authorization: Bearer " + daemon->admin_token()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back("https://localhost:" + std::to_string(daemon->port()) + path);
    return run_command(argv);
  }
  std::string served_certificate_subject() {
    return run_command({"/bin/sh", "-c",
                        "openssl s_client -connect 127.0.0.1:" + std::to_string(daemon->port()) +
                            " -servername localhost </dev/null 2>/dev/null | openssl x509 -noout -subject"})
        .output;
  }

  TempDir dir;
  std::unique_ptr<RunningDaemon> daemon;
};

TEST_F(TlsTest, CurlSpeaksHttpsVerifiedByTheCertificatesAuthority) {
  const auto events = curl("/api/events");
  EXPECT_EQ(events.exit_code, 0) << events.output;
  EXPECT_THAT(events.output, HasSubstr("{\"events\":[]}\n200"));
  EXPECT_THAT(served_certificate_subject(), HasSubstr("CN = first"));
  const auto untrusted = run_command(
      {"/usr/bin/curl", "-sS", "https://localhost:" + std::to_string(daemon->port()) + "/api/health"});
  EXPECT_NE(untrusted.exit_code, 0) << "a client without the CA refuses the certificate";
}

TEST_F(TlsTest, PlainHttpGetsTheProbesAndARedirectForEverythingElse) {
  auto plain = daemon->client();
  EXPECT_EQ(plain.Get("/api/health")->status, 200);
  EXPECT_EQ(plain.Get("/metrics")->status, 200);
  const auto events = plain.Get("/api/events");
  ASSERT_TRUE(events);
  EXPECT_EQ(events->status, 308);
  EXPECT_EQ(events->get_header_value("Location"),
            "https://127.0.0.1:" + std::to_string(daemon->port()) + "/api/events");
  EXPECT_EQ(plain.Post("/api/ring", "", "text/plain")->status, 400) << "no redirect for a POST";
  const auto check = run_command({DOORBELLD_BINARY, "--config", daemon->config_file(), "healthcheck"});
  EXPECT_EQ(check.exit_code, 0) << check.output;
}

TEST_F(TlsTest, LoginCookiesAreSecureUnderTls) {
  const auto added = run_command({"/bin/sh", "-c",
                                  std::string("echo dana-password | ") + DOORBELLD_BINARY + " --config " +
                                      daemon->config_file() + " user add Dana"});
  ASSERT_EQ(added.exit_code, 0) << added.output;
  const auto login = curl("/api/login", {"-i", "-H", "Content-Type: application/json", "--data",
                                         R"({"user": "Dana", "password": "dana-password"})"});
  EXPECT_THAT(login.output, HasSubstr("HttpOnly; SameSite=Strict; Secure"));
}

TEST_F(TlsTest, SighupServesTheNewCertificateAndABrokenOneIsNotTaken) {
  std::filesystem::copy_file(files().cert("second"), dir.path() / "tls.pem",
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(files().key("second"), dir.path() / "tls.key",
                             std::filesystem::copy_options::overwrite_existing);
  daemon->process().signal(SIGHUP);
  EXPECT_TRUE(
      eventually([&] { return served_certificate_subject().find("CN = second") != std::string::npos; }, 5s));

  std::ofstream(dir.path() / "tls.pem") << "not a certificate";
  daemon->process().signal(SIGHUP);
  EXPECT_TRUE(daemon->wait_for_output("keeping the running TLS certificate"));
  EXPECT_THAT(served_certificate_subject(), HasSubstr("CN = second"));
  EXPECT_EQ(curl("/api/health").exit_code, 0);
  const auto audited = curl("/api/audit?action=config.reloaded");
  EXPECT_THAT(audited.output, HasSubstr(R"("actor":{"address":"","kind":"system","name":"doorbelld"})"))
      << "each SIGHUP is in the audit trail";
}

// OpenSSL writes with write(): without SIGPIPE ignored, the first reset killed the daemon (signal 13,
// nothing logged) whenever its parent left SIGPIPE at its default, as this test's launcher does.
TEST_F(TlsTest, ClientsThatResetMidAnswerCostTheirConnectionNotTheDaemon) {
  const auto metrics = "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n";
  const auto app = "GET /api/openapi.json HTTP/1.1\r\nHost: t\r\n\r\n";
  for (int i = 0; i < 10; ++i) {
    reset_mid_answer(daemon->port(), true, app, 50);
    reset_mid_answer(daemon->port(), true, metrics, 50);
    reset_mid_answer(daemon->port(), false, metrics, 50);  // plain HTTP on the TLS port: the probes
  }
  EXPECT_FALSE(daemon->process().wait_exit(500ms)) << daemon->process().output();
  EXPECT_EQ(curl("/api/health").exit_code, 0);
}

TEST(TlsConfig, AKeyThatIsNotTheCertificatesStopsStartUpNamingIt) {
  TlsFiles files;
  files.issue("one");
  files.issue("other");
  RunningDaemon daemon{
      json{{"http", {{"tls_cert", files.cert("one").string()}, {"tls_key", files.key("other").string()}}}}};
  EXPECT_EQ(daemon.process().wait_exit(30s), 1);
  EXPECT_THAT(daemon.process().output(), HasSubstr("http.tls_key"));
}

}  // namespace
}  // namespace doorbell::testing
