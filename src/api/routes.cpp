#include "doorbell/api/routes.hpp"

#include "doorbell/common/build_info.hpp"

namespace doorbell::api {
namespace {

nlohmann::json components_json(const HealthReport& report) {
  auto out = nlohmann::json::object();
  for (const auto& c : report.components) {
    nlohmann::json entry{{"state", to_string(c.state)}, {"fresh", c.fresh}, {"failures", c.failures}};
    if (!c.detail.empty()) entry["detail"] = c.detail;
    if (c.heartbeat_age_seconds >= 0) entry["heartbeat_age_seconds"] = c.heartbeat_age_seconds;
    out[c.name] = std::move(entry);
  }
  return out;
}

}  // namespace

Response health(const HealthRegistry& registry, std::chrono::steady_clock::duration uptime) {
  const auto report = registry.liveness();
  return json_response(report.ok ? 200 : 503,
                       {{"status", report.ok ? "ok" : "unhealthy"},
                        {"version", build_version()},
                        {"uptime_seconds", std::chrono::duration<double>(uptime).count()},
                        {"components", components_json(report)}});
}

Response ready(const HealthRegistry& registry) {
  const auto report = registry.readiness();
  return json_response(report.ok ? 200 : 503, {{"status", report.ok ? "ready" : "not_ready"},
                                               {"components", components_json(report)}});
}

Response metrics(const Metrics& metrics) {
  return content_response(kMetricsContentType, metrics.render());
}

}  // namespace doorbell::api
