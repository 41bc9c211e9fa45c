#pragma once
// Admission: what the gate decides from a request's head alone, before any body is read or thread
// committed — the route (404, 405), plain HTTP on a TLS port (probes only, else a redirect), access
// (401, 403, 429), the body's framing and size (413, 415). A pure function of its inputs; thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "doorbell/auth/principal.hpp"
#include "doorbell/http/access.hpp"
#include "doorbell/http/request_head.hpp"
#include "doorbell/http/route_table.hpp"

namespace doorbell::http {

struct Admission {
  // Refused: the status and the complete closing answer to send.
  int status = 0;
  std::string answer;
  // The route (also when refused after routing: the metrics' label), null before.
  const RouteSpec* route = nullptr;
  // Admitted: who asks, and the body to read.
  auth::Principal principal;
  bool chunked = false;
  std::uint64_t body_length = 0;  // when not chunked
  std::size_t body_limit = 0;
  bool expect_continue = false;

  bool admitted() const noexcept { return status == 0; }
};

struct AdmissionContext {
  const RouteTable& routes;
  const AccessPolicy& access;
  std::size_t upload_limit;   // http.max_body_bytes
  std::string_view address;   // the client's
  bool plain_on_tls = false;  // a plain HTTP request on a port that serves TLS
};

Admission admit(const RequestHead& head, const AdmissionContext& context);

// The message of a 413 for `route` with `limit` bytes.
std::string too_large_message(const RouteSpec& route, const RequestHead& head, std::size_t limit);

}  // namespace doorbell::http
