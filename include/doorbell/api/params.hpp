#pragma once
// Request parameters read strictly: ids from the path, integers and ISO 8601 times from the query.
// A bad value throws BadRequest naming the parameter, which the server answers with 400 (never a 500
// for the client's mistake). Stateless; thread-safe.

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "doorbell/api/transport.hpp"

namespace doorbell::api {

// The id in the path's first group: 1 to 2^63 - 1.
std::int64_t path_id(const Request& req, std::size_t group = 1);
std::optional<std::int64_t> integer_param(const Params& params, const char* name);
// As the daemon stores times ("2026-11-03T18:30:00.000Z"); the parameter may be a date (2026-11-03, UTC
// midnight) or a date and time with seconds, fraction and zone (Z or +01:00) optional (UTC without one),
// in the years 1970 to 2200.
std::optional<std::string> time_param(const Params& params, const char* name);
std::optional<std::string> text_param(const Params& params, const char* name);

// The page a list paged by id (newest first) is asked for, into `query`'s limit (1 to 500, 50), before_id
// (the parameter "before"), since and until.
template <typename Query>
void read_page(const Params& params, Query& query) {
  const auto limit = integer_param(params, "limit").value_or(50);
  if (limit < 1 || limit > 500) throw BadRequest("limit must be from 1 to 500");
  query.limit = static_cast<int>(limit);
  query.before_id = integer_param(params, "before");
  query.since = time_param(params, "since");
  query.until = time_param(params, "until");
}

// ISO 8601 as time_param reads it; empty when it is not such a time.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

}  // namespace doorbell::api
