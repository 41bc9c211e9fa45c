// Whole requests as a client could send them, through the server without a socket: the gate's parsing
// and access decisions, then the routes of the door (rings, events, snapshots), logins and the probes,
// with real tokens, a real login session and a real SQLite database. Never a 500 for a request. The
// session's id and CSRF token are random: "@SESSION@" and "@CSRF@" in an input stand for them, so the
// routes that read a live session (GET /api/session, logout, the audit trail) are reached too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "doorbell/api/audit_routes.hpp"
#include "doorbell/api/auth_routes.hpp"
#include "doorbell/api/daemon_routes.hpp"
#include "doorbell/api/event_routes.hpp"
#include "doorbell/api/routes.hpp"
#include "doorbell/auth/password.hpp"
#include "doorbell/auth/sessions.hpp"
#include "doorbell/auth/throttle.hpp"
#include "doorbell/http/server.hpp"
#include "doorbell/observability/metrics.hpp"
#include "doorbell/storage/user_store.hpp"

namespace {

using namespace doorbell;

// The daemon's HTTP side on a temporary data directory, removed at exit.
struct Door {
  Door() : dir(make_dir()) {
    config.storage.data_dir = dir.string();
    config.auth.max_failures = 1'000'000;  // wrong tokens must not lock the fuzzer out
    storage::UserStore(dir).add("Dana", "admin", auth::hash_password("dana-password"));
    sessions = std::make_unique<auth::Sessions>(dir, std::chrono::hours(1), clock, metrics.registry());
    throttle = std::make_unique<auth::AuthThrottle>(config.auth, clock, metrics.registry());
    access = std::make_unique<http::AccessPolicy>(
        http::AccessTokens{"admin-token", "viewer-token", "scrape-token"}, sessions.get(), throttle.get());
    events = std::make_unique<storage::EventStore>(dir);
    outbox = std::make_unique<storage::Outbox>(dir);
    intake = std::make_unique<pipeline::RingIntake>(config.pipeline, metrics.registry(), nullptr);
    server = std::make_unique<http::Server>(config.http, metrics.registry(), *access, nullptr,
                                            api::daemon_routes());
    server->get("/api/health", [this](const auto&) { return api::health(health, std::chrono::seconds(1)); });
    server->get("/api/ready", [this](const auto&) { return api::ready(health); });
    server->get("/metrics", [this](const auto&) { return api::metrics(metrics); });
    api::add_event_routes(*server, *events, *outbox, *intake, nullptr);
    audit = std::make_unique<storage::AuditTrail>(dir, "", metrics.registry());
    api::add_auth_routes(*server, *sessions, throttle.get(), *audit);
    api::add_audit_routes(*server, *audit);
    log_in();
  }
  // A live session for "@SESSION@" (an input may have logged it out).
  void log_in() {
    const auto login = sessions->login("Dana", "dana-password", "127.0.0.1");
    session_id = login->id;
    csrf_token = login->session.csrf_token;
  }
  ~Door() {
    server.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  static std::filesystem::path make_dir() {
    auto pattern = (std::filesystem::temp_directory_path() / "doorbell-fuzz-XXXXXX").string();
    return mkdtemp(pattern.data());
  }

  std::filesystem::path dir;
  Config config;
  SteadyClock clock;
  Metrics metrics;
  HealthRegistry health{clock};
  std::unique_ptr<auth::Sessions> sessions;
  std::unique_ptr<auth::AuthThrottle> throttle;
  std::unique_ptr<http::AccessPolicy> access;
  std::unique_ptr<storage::EventStore> events;
  std::unique_ptr<storage::Outbox> outbox;
  std::unique_ptr<storage::AuditTrail> audit;
  std::unique_ptr<pipeline::RingIntake> intake;
  std::unique_ptr<http::Server> server;
  std::string session_id;
  std::string csrf_token;
};

void replace_all(std::string& text, std::string_view placeholder, const std::string& value) {
  for (auto at = text.find(placeholder); at != std::string::npos;
       at = text.find(placeholder, at + value.size())) {
    text.replace(at, placeholder.size(), value);
  }
}

Door& door() {
  static Door d;
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string request(reinterpret_cast<const char*>(data), size);
  if (!door().sessions->find(door().session_id)) door().log_in();
  replace_all(request, "@SESSION@", door().session_id);
  replace_all(request, "@CSRF@", door().csrf_token);
  const auto response = door().server->handle(request);
  if (response.rfind("HTTP/1.1 ", 0) != 0) __builtin_trap();  // always an answer
  if (response.compare(9, 3, "500") == 0) __builtin_trap();   // never a 500 for a request
  // Who is asking, as GET /api/session says, is the session the request carried. A view into a freed
  // header once lost these fields; OpenSSL (not instrumented) read the freed bytes, so ASan alone did not
  // see it: with free_fill_byte (the fuzz preset's ASAN_OPTIONS) the lookup fails and this check does.
  if (request.starts_with("GET /api/session ") && response.compare(9, 3, "200") == 0 &&
      response.find(R"("via":"session")") != std::string::npos &&
      response.find(R"("user":"Dana")") == std::string::npos) {
    __builtin_trap();
  }
  return 0;
}
