#pragma once
// The daemon's routes: every HTTP route it serves, declared once with who may call it, how large a body
// it takes and which threads serve it (route_table.hpp). Immutable; thread-safe.

#include <span>

#include "doorbell/http/route_table.hpp"

namespace doorbell::api {

std::span<const http::RouteSpec> daemon_routes();

}  // namespace doorbell::api
