#pragma once
// The request a thread is serving: who sent it (as the connection gate authenticated it), from which
// address, over TLS or not. Set by the server around each handler; handlers read it with
// request_context(). Thread-local; nothing to share.

#include <string>

#include "doorbell/auth/principal.hpp"

namespace doorbell::http {

struct RequestContext {
  auth::Principal principal;  // anonymous (role none, no name) on open routes without a credential
  std::string address;        // the client's IP address
  bool tls = false;
};

// The current request's context; an empty one outside a request.
const RequestContext& request_context() noexcept;

// Makes `context` current on this thread for its lifetime (the server; tests of handlers).
class ScopedRequestContext {
 public:
  explicit ScopedRequestContext(const RequestContext& context) noexcept;
  ~ScopedRequestContext();
  ScopedRequestContext(const ScopedRequestContext&) = delete;
  ScopedRequestContext& operator=(const ScopedRequestContext&) = delete;

 private:
  const RequestContext* previous_;
};

}  // namespace doorbell::http
