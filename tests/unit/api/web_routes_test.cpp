#include "doorbell/api/web_routes.hpp"

#include <gtest/gtest.h>

#include <array>
#include <regex>
#include <string>

#include "doorbell/common/features.hpp"

namespace doorbell::api {
namespace {

std::string header(const Response& r, const std::string& name) {
  for (const auto& [key, value] : r.headers) {
    if (key == name) return value;
  }
  return {};
}

constexpr std::array kAssets{
    WebAsset{"/", "text/html; charset=utf-8", "<page>", "gz-page", false},
    WebAsset{"/app/app-ABC.js", "text/javascript; charset=utf-8", "script", "gz-script", true},
};

TEST(WebRoutes, TheGzippedBodyGoesToBrowsersThatAcceptIt) {
  for (const char* accepts : {"gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "*", "*;q=0, gzip"}) {
    const auto r = web_asset(kAssets, "/app/app-ABC.js", accepts);
    EXPECT_EQ(r.body, "gz-script") << accepts;
    EXPECT_EQ(header(r, "Content-Encoding"), "gzip") << accepts;
  }
  for (const char* refuses : {"", "br", "gzip;q=0", "gzip; q=0.0", "identity", "*, gzip;q=0"}) {
    const auto r = web_asset(kAssets, "/app/app-ABC.js", refuses);
    EXPECT_EQ(r.body, "script") << refuses;
    EXPECT_EQ(header(r, "Content-Encoding"), "") << refuses;
  }
  EXPECT_EQ(header(web_asset(kAssets, "/", ""), "Vary"), "Accept-Encoding");
}

TEST(WebRoutes, HashedFilesAreCachedForGoodAndThePageIsRevalidatedUnderItsPolicy) {
  const auto script = web_asset(kAssets, "/app/app-ABC.js", "gzip");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(header(script, "Cache-Control"), "public, max-age=31536000, immutable");
  const auto page = web_asset(kAssets, "/", "gzip");
  EXPECT_EQ(header(page, "Cache-Control"), "no-cache");
  EXPECT_NE(header(page, "Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_NE(header(page, "Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
}

TEST(WebRoutes, AFileTheAppDoesNotHaveIsAJson404) {
  const auto r = web_asset(kAssets, "/app/app-OLD.js", "gzip");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/json");
}

TEST(WebRoutes, TheBuiltPageLoadsOnlyFilesTheDaemonServes) {
  if (!features::kWebApp) {
    EXPECT_EQ(web_asset(web_assets(), "/", "").status, 404);
    GTEST_SKIP() << "built with DOORBELL_WITH_WEB_APP=OFF: no page to look at";
  }
  const auto assets = web_assets();
  const auto page = web_asset(assets, "/", "");
  ASSERT_EQ(page.status, 200);
  const std::regex reference(R"((?:src|href)="(/app/[^"]+)\")");
  int found = 0;
  for (std::sregex_iterator it(page.body.begin(), page.body.end(), reference), end; it != end; ++it) {
    const auto file = (*it)[1].str();
    const auto served = web_asset(assets, file, "gzip");
    EXPECT_EQ(served.status, 200) << file;
    EXPECT_FALSE(served.body.empty()) << file;
    ++found;
  }
  EXPECT_EQ(found, 2) << "a script and a style sheet:\n" << page.body;
}

}  // namespace
}  // namespace doorbell::api
