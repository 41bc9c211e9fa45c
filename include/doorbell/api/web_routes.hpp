#pragma once
// The web app's routes: GET / (the page), GET /app/{file} (its script and style sheet) and
// GET /api/openapi.json (the API's description), open to anyone — they hold no data; every call the
// app makes goes through the API and its access checks.
// Gzipped when the browser accepts it; content-hashed files are cached for good, the page is revalidated.
// Thread-safe.

#include "doorbell/api/transport.hpp"
#include "doorbell/api/web_assets.hpp"

namespace doorbell::api {

// The answer for `path` from `assets`, gzipped when `accept_encoding` allows; 404 for a file it lacks.
Response web_asset(std::span<const WebAsset> assets, std::string_view path, std::string_view accept_encoding);

void add_web_routes(Server& server);

}  // namespace doorbell::api
