#pragma once
// The text of request URLs (RFC 3986): percent-decoding of paths, query strings to parameters and back.
// Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "doorbell/http/request.hpp"

namespace doorbell::http {

// %XX escapes decoded (either case); a '%' not followed by two hex digits is kept as it is. With
// `plus_as_space` (query strings), '+' is a space.
std::string percent_decode(std::string_view text, bool plus_as_space = false);
// Every byte but the unreserved ones (A-Z a-z 0-9 - . _ ~) as %XX.
std::string percent_encode(std::string_view text);

// "a=1&b=x%20y&c" → {a: 1, b: "x y", c: ""}; empty pairs are skipped, repeated names kept in order.
Params parse_query(std::string_view query);
// The parameters as a query string (without the '?'), names and values encoded.
std::string query_string(const Params& params);
// The next page of a list paged by id: `path` with the same parameters but before=`before_id`.
std::string next_page(std::string_view path, const Params& params, std::int64_t before_id);

}  // namespace doorbell::http
