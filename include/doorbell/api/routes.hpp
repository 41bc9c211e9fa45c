#pragma once
// The daemon's built-in routes as plain functions of their inputs. Thread-safe as their arguments are.

#include <chrono>

#include "doorbell/api/transport.hpp"
#include "doorbell/common/health.hpp"
#include "doorbell/observability/metrics.hpp"

namespace doorbell::api {

// GET /api/health: 200 while no component has failed, else 503; both list every component.
Response health(const HealthRegistry& registry, std::chrono::steady_clock::duration uptime);
// GET /api/ready: 200 when every component is ready with a fresh heartbeat, else 503 naming each.
Response ready(const HealthRegistry& registry);
// GET /metrics: Prometheus text format.
Response metrics(const Metrics& metrics);

}  // namespace doorbell::api
