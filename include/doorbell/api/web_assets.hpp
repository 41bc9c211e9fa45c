#pragma once
// The household's web app as the daemon serves it: files bundled from web/src at build time
// (web/build.mjs), each with its gzipped form, compiled into the binary. Immutable; thread-safe.

#include <span>
#include <string_view>

namespace doorbell::api {

struct WebAsset {
  std::string_view path;  // "/" (the page), "/app/app-<content hash>.js|css" or "/api/openapi.json"
  std::string_view content_type;
  std::string_view body;
  std::string_view gzip;  // the same body, gzip-compressed
  bool immutable;         // named after its content: cached for good
};

std::span<const WebAsset> web_assets();

}  // namespace doorbell::api
