#include "doorbell/http/multipart.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "doorbell/api/params.hpp"

namespace doorbell::http {
namespace {

TEST(Multipart, BoundaryComesFromTheContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=XyZ"), "XyZ");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
  EXPECT_EQ(multipart_boundary("image/jpeg"), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data"), std::nullopt);
}

TEST(Multipart, PartsKeepTheirNamesFileNamesTypesAndBytes) {
  const std::string body =
      "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"dana.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n\xFF\xD8 binary\r\n with CRLF\r\n--XyZ\r\n"
      "Content-Disposition: form-data; name=note\r\n\r\nhello\r\n--XyZ--\r\n";
  Files files;
  parse_multipart(body, "XyZ", files);
  ASSERT_EQ(files.size(), 2u);
  const auto& image = files.find("image")->second;
  EXPECT_EQ(image.filename, "dana.jpg");
  EXPECT_EQ(image.content_type, "image/jpeg");
  EXPECT_EQ(image.content, "\xFF\xD8 binary\r\n with CRLF");
  EXPECT_EQ(files.find("note")->second.content, "hello");
}

TEST(Multipart, MalformedBodiesAndTooManyPartsAreRefused) {
  Files files;
  EXPECT_THROW(parse_multipart("no boundary here", "XyZ", files), BadRequest);
  EXPECT_THROW(
      parse_multipart("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nunterminated", "XyZ", files),
      BadRequest);
  EXPECT_THROW(parse_multipart("--XyZ\r\nno blank line", "XyZ", files), BadRequest);
  files.clear();
  std::string many;
  for (std::size_t i = 0; i <= kMaxParts; ++i) {
    many += "--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
  }
  many += "--XyZ--";
  EXPECT_THROW(parse_multipart(many, "XyZ", files), BadRequest);
}

}  // namespace
}  // namespace doorbell::http
