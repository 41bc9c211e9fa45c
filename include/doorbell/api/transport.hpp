#pragma once
// The HTTP transport's words the API speaks — a request, a response, the server routes are added to, a
// client's mistake — named in the API's namespace once, for every route file. Declarations only.

#include "doorbell/http/request.hpp"
#include "doorbell/http/request_context.hpp"
#include "doorbell/http/response.hpp"
#include "doorbell/http/server.hpp"
#include "doorbell/http/url_text.hpp"

namespace doorbell::api {

using http::BadRequest;
using http::content_response;
using http::json_error;
using http::json_response;
using http::next_page;
using http::Params;
using http::Request;
using http::request_context;
using http::RequestContext;
using http::Response;
using http::Server;

}  // namespace doorbell::api
