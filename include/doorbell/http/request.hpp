#pragma once
// Request: what a route handler sees of an HTTP request — method, decoded path and its pattern's groups,
// query parameters, headers, body and multipart files, the client's address. A value the server fills
// once per request; not shared between threads.

#include <map>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace doorbell::http {

// Query parameters, repeated names kept in order.
using Params = std::multimap<std::string, std::string>;

// One part of a multipart/form-data body.
struct FilePart {
  std::string name;  // the form field's name
  std::string content;
  std::string filename;  // empty when the part is not a file
  std::string content_type;
};
// The parts by field name.
using Files = std::multimap<std::string, FilePart>;

// Thrown by a handler (or the server reading a request) for the client's mistake: answered 400 with the
// message (never a 500).
class BadRequest : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct Request {
  std::string method;   // "GET", "POST"… (HEAD is served as GET)
  std::string target;   // path and query as sent, e.g. "/api/events?limit=5"
  std::string version;  // "HTTP/1.1"
  std::string path;     // percent-decoded, without the query
  std::smatch matches;  // the route pattern's groups over `path`
  Params params;
  std::vector<std::pair<std::string, std::string>> headers;  // as sent, names in any case
  std::string body;
  Files files;  // the parts of a multipart/form-data body
  std::string remote_addr;
  int remote_port = 0;

  // The first value of the header `name` (ASCII case ignored); empty when it was not sent.
  std::string header(std::string_view name) const;
};

}  // namespace doorbell::http
