#include "doorbell/http/chunked_body.hpp"

#include <gtest/gtest.h>

namespace doorbell::http {
namespace {

using Status = ChunkedBody::Status;

// Feeds `wire` in pieces of `step` bytes.
Status decode(const std::string& wire, std::size_t step, std::string& body, std::size_t max = 1000,
              std::size_t* used = nullptr) {
  ChunkedBody decoder(max);
  Status status = Status::more;
  std::size_t at = 0;
  while (at < wire.size() && status == Status::more) {
    std::size_t consumed = 0;
    status = decoder.feed(std::string_view(wire).substr(at, step), consumed, body);
    at += consumed;
  }
  if (used != nullptr) *used = at;
  return status;
}

TEST(ChunkedBody, DecodesWhateverWayTheBytesArrive) {
  const std::string wire =
      "5;name=x\r\nhello\r\n1A\r\n" + std::string(26, 'z') + "\r\n0\r\nTrailer: t\r\n\r\nNEXT";
  for (const std::size_t step : {1u, 3u, 7u, 1000u}) {
    std::string body;
    std::size_t used = 0;
    EXPECT_EQ(decode(wire, step, body, 1000, &used), Status::done) << step;
    EXPECT_EQ(body, "hello" + std::string(26, 'z'));
    EXPECT_EQ(wire.substr(used), "NEXT") << "the next request's bytes are left alone";
  }
}

TEST(ChunkedBody, RefusesABodyOverTheLimitBeforeReadingIt) {
  std::string body;
  EXPECT_EQ(decode("10\r\n", 100, body, 15), Status::too_large) << "known from the size line";
  body.clear();
  EXPECT_EQ(decode("8\r\n12345678\r\n8\r\n", 100, body, 15), Status::too_large) << "counted across chunks";
  body.clear();
  EXPECT_EQ(decode("fffffffffffffffffff\r\n", 100, body), Status::malformed);
}

TEST(ChunkedBody, RefusesMalformedFraming) {
  std::string body;
  EXPECT_EQ(decode("zz\r\n", 100, body), Status::malformed);
  body.clear();
  EXPECT_EQ(decode("3\r\nabcX\r\n", 100, body), Status::malformed) << "data must end at CRLF";
  body.clear();
  EXPECT_EQ(decode(std::string(2000, '1'), 100, body), Status::malformed) << "endless size line";
  body.clear();
  EXPECT_EQ(decode("3\r\nabc\r\n", 100, body), Status::more);
}

}  // namespace
}  // namespace doorbell::http
