#pragma once
// Responses the gate writes itself (refusals, redirects, 503 when busy) as HTTP/1.1 bytes, and the
// metric label of a request method. Stateless; thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "doorbell/http/response.hpp"

namespace doorbell::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

const char* reason_phrase(int status) noexcept;

// The status line and headers of `response`: its content type and extra headers, the length (or
// chunked transfer encoding when `content_length` is empty), whether the connection stays open, and
// the headers every answer carries (nosniff, no framing, no referrer; no-store unless it says otherwise).
std::string response_head(const Response& response, bool keep_alive,
                          std::optional<std::size_t> content_length);

// A complete response that ends the connection ("Connection: close").
std::string closing_response(int status, std::string_view content_type, std::string_view body,
                             const HeaderList& headers = {});

// The JSON error body of json_error() as a closing response.
std::string closing_error(int status, std::string_view message, std::string_view code = {},
                          const HeaderList& headers = {});

// GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS as they are; anything else "other" (one label value
// for every unknown method, so garbage cannot grow the metric's series).
std::string_view method_label(std::string_view method) noexcept;

}  // namespace doorbell::http
