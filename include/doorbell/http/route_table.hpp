#pragma once
// The route table: the routes a server serves, each declared once with who may call it, how large a body
// it takes and which threads serve it (the daemon's: api/daemon_routes.hpp). The server refuses to
// register a route the table does not declare, and the connection gate decides access and body limits
// from it before any handler runs.
// Immutable; thread-safe.

#include <cstddef>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace doorbell::http {

// Who may call a route.
enum class Access {
  open,     // anyone: the probes /api/health and /api/ready, the login
  metrics,  // anyone, unless http.metrics_token is set: then that token or an admin credential
  viewer,   // shows camera images, faces, names or visits: a viewer or admin credential
  admin,    // changes state (or runs the face engine on uploads): an admin credential
};
const char* to_string(Access access) noexcept;

// How large a request body may be.
enum class BodyLimit {
  none,    // no body
  json,    // a small JSON document (kJsonBodyBytes)
  upload,  // images: http.max_body_bytes
};
inline constexpr std::size_t kJsonBodyBytes = std::size_t{16} * 1024;

// Which threads serve a route.
enum class Lane {
  probe,   // its own thread (open probes: the gate's): probes answer while every API thread is busy
  api,     // the http.threads pool
  stream,  // a long-lived response (the MJPEG stream) on threads of its own
  login,   // password checks (tens of milliseconds of scrypt each) on one thread of their own
};

struct RouteSpec {
  std::string_view method;   // GET, POST or DELETE (HEAD is served by GET routes)
  std::string_view pattern;  // the route's regular expression over the decoded path
  Access access;
  BodyLimit body = BodyLimit::none;
  Lane lane = Lane::api;
  bool checks_password = false;  // answers with a password check: refused while the client is throttled
};

// A table of routes with their patterns compiled, for looking requests up.
class RouteTable {
 public:
  explicit RouteTable(std::span<const RouteSpec> specs);

  std::span<const RouteSpec> specs() const noexcept { return specs_; }
  // The spec declaring exactly this method and pattern; null when the table has none.
  const RouteSpec* declared(std::string_view method, std::string_view pattern) const;

  struct Match {
    const RouteSpec* spec = nullptr;  // null: no route for this method
    std::string allowed;              // when the path matched other methods only: "GET, POST"
  };
  // The route serving `method` (HEAD as GET) on `path` (percent-decoded).
  Match match(std::string_view method, const std::string& path) const;
  // Where `spec` (one of specs()) stands in the table, and its compiled pattern.
  std::size_t index_of(const RouteSpec& spec) const noexcept {
    return static_cast<std::size_t>(&spec - specs_.data());
  }
  const std::regex& pattern(const RouteSpec& spec) const { return patterns_[index_of(spec)]; }

 private:
  std::span<const RouteSpec> specs_;
  std::vector<std::regex> patterns_;
};

}  // namespace doorbell::http
