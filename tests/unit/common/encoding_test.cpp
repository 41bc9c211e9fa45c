// Small encoders and parsers: base64, URLs, random identifiers, HMAC-SHA256, UTF-8 excerpts.
#include <gtest/gtest.h>

#include <set>

#include "doorbell/common/base64.hpp"
#include "doorbell/common/hex.hpp"
#include "doorbell/common/url.hpp"
#include "doorbell/common/utf8_excerpt.hpp"
#include "notify/hmac.hpp"

namespace doorbell {
namespace {

// A receiver's error page as a delivery's last error: valid UTF-8 (PostgreSQL refuses anything else), no
// character cut in two.
TEST(Utf8Excerpt, KeepsWholeCharactersAndReplacesWhatIsNotUtf8) {
  EXPECT_EQ(utf8_excerpt("plain", 200), "plain");
  EXPECT_EQ(utf8_excerpt("caf\xC3\xA9", 4), "caf") << "not half of the e-acute";
  EXPECT_EQ(utf8_excerpt("caf\xC3\xA9", 5), "caf\xC3\xA9");
  EXPECT_EQ(utf8_excerpt("a\xFF"
                         "b",
                         200),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(utf8_excerpt(std::string("a\0b", 3), 200),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(utf8_excerpt("\xED\xA0\x80", 200), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") << "a surrogate";
  EXPECT_EQ(utf8_excerpt("", 200), "");
}

TEST(Base64, MatchesRfc4648Vectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foob"), "Zm9vYg==");
  EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64("\xff\xfe"), "//4=");
}

TEST(Url, SplitsWhatAClientNeedsAndRefusesTheRest) {
  const auto u = parse_url("https://ntfy.sh/my-door?x=1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "ntfy.sh");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->path, "/my-door?x=1");
  EXPECT_EQ(u->origin(), "https://ntfy.sh:443");
  const auto local = parse_url("http://127.0.0.1:8080");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->port, 8080);
  EXPECT_EQ(local->path, "/");
  for (const char* bad : {"ntfy.sh/door", "ftp://host/", "http://", "http://host:0/", "http://host:99999/",
                          "http://host:x/", "http://user@host/", "http://ho st/"}) {
    EXPECT_FALSE(parse_url(bad)) << bad;
  }
}

TEST(Url, APasswordInAUrlIsNotShown) {
  EXPECT_EQ(without_password("rtsp://admin:hunter2@192.168.1.20:554/h264"),
            "rtsp://admin:***@192.168.1.20:554/h264");
  EXPECT_EQ(without_password("rtsp://admin:p@ss:w@door/stream?x=1"), "rtsp://admin:***@door/stream?x=1");
  EXPECT_EQ(without_password("http://u:p@cam"), "http://u:***@cam");
  for (const char* kept : {"rtsp://door:554/stream", "rtsp://viewer@door/stream", "/dev/video0", "0",
                           "/var/lib/doorbelld/camera", "rtsp://door/a@b", ""}) {
    EXPECT_EQ(without_password(kept), kept);
  }
}

TEST(RandomHex, HasTheLengthAskedForAndDoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto id = random_hex(16);
    EXPECT_EQ(id.size(), 32u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(random_hex(8).size(), 16u);
}

TEST(Hmac, MatchesRfc4231TestCase2) {
  EXPECT_EQ(notify::hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace doorbell
