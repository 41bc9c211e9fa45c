#include "doorbell/http/multipart.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "header_text.hpp"

namespace doorbell::http {
namespace {

// The value of `key=` in a header's parameters ("form-data; name=\"image\"; filename=\"a.jpg\"").
std::string parameter(std::string_view header, std::string_view key) {
  const auto low = ascii_lower(header);
  const auto wanted = std::string(key) + "=";
  std::size_t at = 0;
  while ((at = low.find(wanted, at)) != std::string::npos) {
    const bool starts = at == 0 || header[at - 1] == ';' || header[at - 1] == ' ';
    at += key.size() + 1;
    if (!starts) continue;
    if (at < header.size() && header[at] == '"') {
      const auto end = header.find('"', at + 1);
      return std::string(header.substr(at + 1, end == std::string_view::npos ? end : end - at - 1));
    }
    return std::string(trim_ows(header.substr(at, header.find(';', at) - at)));
  }
  return {};
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  if (ascii_lower(content_type.substr(0, 19)) != "multipart/form-data") return std::nullopt;
  auto boundary = parameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 70) return std::nullopt;
  return boundary;
}

void parse_multipart(std::string_view body, std::string_view boundary, Files& files) {
  const std::string delimiter = "--" + std::string(boundary);
  auto at = body.find(delimiter);
  if (at == std::string_view::npos) throw BadRequest("multipart body without its boundary");
  at += delimiter.size();
  for (;;) {
    if (body.substr(at, 2) == "--") return;  // the closing delimiter
    if (body.substr(at, 2) != "\r\n") throw BadRequest("malformed multipart delimiter");
    at += 2;
    const auto head_end = body.find("\r\n\r\n", at);
    if (head_end == std::string_view::npos) throw BadRequest("multipart part without the end of its headers");
    FilePart part;
    for (auto line_start = at; line_start < head_end;) {
      auto line_end = body.find("\r\n", line_start);
      if (line_end == std::string_view::npos || line_end > head_end) line_end = head_end;
      const auto line = body.substr(line_start, line_end - line_start);
      const auto colon = line.find(':');
      if (colon != std::string_view::npos) {
        const auto name = ascii_lower(trim_ows(line.substr(0, colon)));
        const auto value = trim_ows(line.substr(colon + 1));
        if (name == "content-disposition") {
          part.name = parameter(value, "name");
          part.filename = parameter(value, "filename");
        } else if (name == "content-type") {
          part.content_type = value;
        }
      }
      line_start = line_end + 2;
    }
    const auto content_start = head_end + 4;
    const auto content_end = body.find("\r\n" + delimiter, content_start);
    if (content_end == std::string_view::npos)
      throw BadRequest("multipart part without its closing boundary");
    if (files.size() >= kMaxParts) {
      throw BadRequest(fmt::format("at most {} parts in a multipart body", kMaxParts));
    }
    part.content = body.substr(content_start, content_end - content_start);
    auto name = part.name;
    files.emplace(std::move(name), std::move(part));
    at = content_end + 2 + delimiter.size();
  }
}

}  // namespace doorbell::http
