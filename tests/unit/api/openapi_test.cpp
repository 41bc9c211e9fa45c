// The OpenAPI document the daemon serves describes exactly the route table: every route, at its access
// level, and nothing that is not a route.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "doorbell/api/daemon_routes.hpp"
#include "doorbell/api/web_routes.hpp"
#include "doorbell/http/route_table.hpp"

namespace doorbell::api {
namespace {

// "GET /api/people/{}/faces/{}.jpg" from a route table pattern (each group a parameter) or an OpenAPI path.
std::string route_key(std::string method, const std::string& path) {
  auto key = std::regex_replace(path, std::regex(R"(\([^)]*\)|\[A-Za-z0-9\._-\]\{1,64\}|\{[a-z_]+\})"), "{}");
  key = std::regex_replace(key, std::regex(R"(\\\.)"), ".");
  for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return method + " " + key;
}

TEST(OpenApi, TheServedDocumentHasEveryRouteAtItsAccessLevelAndNoOther) {
  const auto served = web_asset(web_assets(), "/api/openapi.json", "");
  ASSERT_EQ(served.status, 200);
  EXPECT_EQ(served.content_type, "application/json");
  const auto doc = nlohmann::json::parse(served.body);
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");

  std::map<std::string, std::string> documented;
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      documented[route_key(method, path)] = operation.value("x-access", "(none)");
    }
  }
  std::map<std::string, std::string> routes;
  for (const auto& spec : daemon_routes()) {
    routes[route_key(std::string(spec.method), std::string(spec.pattern))] = to_string(spec.access);
  }
  EXPECT_EQ(documented, routes);
  EXPECT_GE(routes.size(), 24u);
}

}  // namespace
}  // namespace doorbell::api
