#pragma once
// multipart/form-data request bodies (RFC 7578) split into their parts — field name, file name, content
// type and content — for image uploads. At most kMaxParts parts; anything malformed is refused. A pure
// function; thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "doorbell/http/request.hpp"

namespace doorbell::http {

inline constexpr std::size_t kMaxParts = 32;

// The boundary of a "multipart/form-data; boundary=..." content type; empty when it is not one.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Adds every part of `body` to `files` (keyed by field name). Throws BadRequest saying what is wrong.
void parse_multipart(std::string_view body, std::string_view boundary, Files& files);

}  // namespace doorbell::http
