#include "doorbell/http/request_context.hpp"

namespace doorbell::http {
namespace {

const RequestContext kNone{};
thread_local const RequestContext* tl_current = nullptr;

}  // namespace

const RequestContext& request_context() noexcept {
  return tl_current != nullptr ? *tl_current : kNone;
}

ScopedRequestContext::ScopedRequestContext(const RequestContext& context) noexcept : previous_(tl_current) {
  tl_current = &context;
}

ScopedRequestContext::~ScopedRequestContext() {
  tl_current = previous_;
}

}  // namespace doorbell::http
