#include "doorbell/http/url_text.hpp"

#include <gtest/gtest.h>

namespace doorbell::http {
namespace {

TEST(UrlText, PercentEscapesAreDecodedAndBrokenOnesKept) {
  EXPECT_EQ(percent_decode("/api/people/%31%32"), "/api/people/12");
  EXPECT_EQ(percent_decode("%e2%9c%93%E2%9C%93"), "\xE2\x9C\x93\xE2\x9C\x93");
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%4"), "%4");
  EXPECT_EQ(percent_decode("%zz%4g"), "%zz%4g");
  EXPECT_EQ(percent_decode("%00"), std::string(1, '\0'));
  EXPECT_EQ(percent_decode("a+b"), "a+b") << "a path keeps its plus signs";
  EXPECT_EQ(percent_decode("a+b", true), "a b");
}

TEST(UrlText, QueriesBecomeParametersAndBack) {
  const auto params = parse_query("kind=known&person=Jos%C3%A9+Luis&&empty=&bare&kind=unknown");
  EXPECT_EQ(params.count("kind"), 2u);
  EXPECT_EQ(params.find("person")->second, "Jos\xC3\xA9 Luis");
  EXPECT_EQ(params.find("empty")->second, "");
  EXPECT_EQ(params.find("bare")->second, "");
  EXPECT_EQ(params.size(), 5u);
  EXPECT_EQ(query_string({{"before", "12"}, {"person", "Jos\xC3\xA9 & co"}}),
            "before=12&person=Jos%C3%A9%20%26%20co");
  EXPECT_EQ(parse_query(query_string({{"a b", "c=d"}})).find("a b")->second, "c=d");
}

}  // namespace
}  // namespace doorbell::http
