#include "doorbell/api/daemon_routes.hpp"

#include <array>

namespace doorbell::api {
namespace {

using http::Access;
using http::BodyLimit;
using http::Lane;
using http::RouteSpec;

// Every route, in one place. A route added to the daemon without a line here fails at start-up (and so
// in every test that starts the daemon); the access matrix test walks this table.
constexpr std::array kRoutes{
    // Probes and scrapers.
    RouteSpec{"GET", "/api/health", Access::open, BodyLimit::none, Lane::probe},
    RouteSpec{"GET", "/api/ready", Access::open, BodyLimit::none, Lane::probe},
    RouteSpec{"GET", "/metrics", Access::metrics, BodyLimit::none, Lane::probe},
    // The web app — a page, a script and a style sheet — and the API's description: no data (the API
    // decides what the app shows).
    RouteSpec{"GET", "/", Access::open},
    RouteSpec{"GET", R"(/app/[A-Za-z0-9._-]{1,64})", Access::open},
    RouteSpec{"GET", "/api/openapi.json", Access::open},
    // Logins.
    RouteSpec{"POST", "/api/login", Access::open, BodyLimit::json, Lane::login, true},
    RouteSpec{"POST", "/api/logout", Access::viewer, BodyLimit::none},
    RouteSpec{"GET", "/api/session", Access::viewer},
    // The door: rings, visits, camera.
    RouteSpec{"POST", "/api/ring", Access::admin},
    RouteSpec{"GET", "/api/events", Access::viewer},
    RouteSpec{"GET", "/api/doors", Access::viewer},
    RouteSpec{"GET", R"(/api/events/(\d+))", Access::viewer},
    RouteSpec{"GET", R"(/api/events/(\d+)/snapshot\.jpg)", Access::viewer},
    RouteSpec{"GET", "/api/snapshot.jpg", Access::viewer},
    RouteSpec{"GET", "/api/stream.mjpg", Access::viewer, BodyLimit::none, Lane::stream},
    RouteSpec{"GET", "/api/camera", Access::viewer},
    // The gallery.
    RouteSpec{"GET", "/api/people", Access::viewer},
    RouteSpec{"POST", "/api/people", Access::admin, BodyLimit::json},
    RouteSpec{"POST", R"(/api/people/(\d+)/faces)", Access::admin, BodyLimit::upload},
    RouteSpec{"DELETE", R"(/api/people/(\d+))", Access::admin},
    RouteSpec{"PATCH", R"(/api/people/(\d+))", Access::admin, BodyLimit::json},
    RouteSpec{"GET", R"(/api/people/(\d+)/faces)", Access::viewer},
    RouteSpec{"GET", R"(/api/people/(\d+)/faces/(\d+)\.jpg)", Access::viewer},
    RouteSpec{"DELETE", R"(/api/people/(\d+)/faces/(\d+))", Access::admin},
    // Familiar faces: visitor clusters and the faces seen at the door.
    RouteSpec{"GET", "/api/visitors", Access::viewer},
    RouteSpec{"GET", R"(/api/visitors/(\d+))", Access::viewer},
    RouteSpec{"PATCH", R"(/api/visitors/(\d+))", Access::admin, BodyLimit::json},
    RouteSpec{"DELETE", R"(/api/visitors/(\d+))", Access::admin},
    RouteSpec{"POST", R"(/api/visitors/(\d+)/merge)", Access::admin, BodyLimit::json},
    RouteSpec{"POST", R"(/api/visitors/(\d+)/name)", Access::admin, BodyLimit::json},
    RouteSpec{"GET", R"(/api/events/(\d+)/faces)", Access::viewer},
    RouteSpec{"GET", R"(/api/faces/(\d+)\.jpg)", Access::viewer},
    RouteSpec{"POST", R"(/api/faces/(\d+)/identity)", Access::admin, BodyLimit::json},
    // The household's notification rules: per person, for strangers, for the blacklist.
    RouteSpec{"GET", "/api/notify/rules", Access::viewer},
    RouteSpec{"PUT", R"(/api/notify/rules/(unknown|blacklisted|person-\d{1,18}))", Access::admin,
              BodyLimit::json},
    RouteSpec{"DELETE", R"(/api/notify/rules/(unknown|blacklisted|person-\d{1,18}))", Access::admin},
    // Runs the face engine on an uploaded image and names the nearest enrolled person: a recognition
    // oracle and seconds of CPU, so admin only.
    RouteSpec{"POST", "/api/identify", Access::admin, BodyLimit::upload},
    // The audit trail: who logged in, and who changed what.
    RouteSpec{"GET", "/api/audit", Access::admin},
};

}  // namespace

std::span<const http::RouteSpec> daemon_routes() {
  return kRoutes;
}

}  // namespace doorbell::api
