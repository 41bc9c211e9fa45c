#include "doorbell/common/names.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doorbell {
namespace {

using ::testing::HasSubstr;

std::string ok(std::string_view raw) {
  const auto result = normalize_name(raw);
  if (const auto* error = std::get_if<NameError>(&result)) return "error: " + error->message;
  return std::get<std::string>(result);
}

std::string error(std::string_view raw) {
  const auto result = normalize_name(raw);
  const auto* e = std::get_if<NameError>(&result);
  return e != nullptr ? e->message : "accepted as \"" + std::get<std::string>(result) + "\"";
}

TEST(Names, ComposedAndDecomposedSpellingsAreOneName) {
  EXPECT_EQ(ok("Jos\xC3\xA9"), "Jos\xC3\xA9");   // é as one code point (NFC)
  EXPECT_EQ(ok("Jose\xCC\x81"), "Jos\xC3\xA9");  // e + combining acute (NFD)
}

TEST(Names, SurroundingWhiteSpaceIsTrimmedInsideKept) {
  EXPECT_EQ(ok("  Dana Scully\t\n"), "Dana Scully");
  EXPECT_EQ(ok("\xE3\x80\x80"
               "Aiko"),
            "Aiko")
      << "ideographic space";
}

TEST(Names, InvisibleAndControlCharactersAreRefused) {
  EXPECT_THAT(error("Dana\xE2\x80\xAE"
                    "anaD"),
              HasSubstr("U+202E"))
      << "right-to-left override";
  EXPECT_THAT(error("Da\xE2\x80\x8Bna"), HasSubstr("U+200B")) << "zero-width space";
  EXPECT_THAT(error("Da\nna"), HasSubstr("U+000A"));
  EXPECT_THAT(error("Da\tna"), HasSubstr("U+0009"));
  EXPECT_THAT(error("\xEF\xBB\xBF"
                    "Dana"),
              HasSubstr("U+FEFF"));
  EXPECT_THAT(error("Da\xE2\x80\xA8na"), HasSubstr("U+2028"));
}

TEST(Names, EmptyOverlongAndInvalidUtf8AreRefused) {
  EXPECT_THAT(error("   "), HasSubstr("empty"));
  EXPECT_THAT(error(std::string(65, 'a')), HasSubstr("at most 64"));
  EXPECT_EQ(ok(std::string(64, 'a')), std::string(64, 'a'));
  EXPECT_THAT(error("Dana\xFF"), HasSubstr("UTF-8"));
  EXPECT_THAT(error("\xC3"), HasSubstr("UTF-8"));
}

TEST(Names, KeysFoldCaseBeyondAsciiAndCompatibilityForms) {
  const auto jose = name_key("Jos\xC3\xA9");
  EXPECT_EQ(name_key("JOS\xC3\x89"), jose);  // É
  EXPECT_EQ(name_key("jos\xC3\xA9"), jose);
  EXPECT_EQ(name_key(ok("JOSE\xCC\x81")), jose);               // E + combining acute, normalised first
  EXPECT_EQ(name_key("\xEF\xBD\x81lice"), name_key("Alice"));  // fullwidth a
  EXPECT_EQ(name_key("Stra\xC3\x9F"
                     "e"),
            name_key("STRASSE"));  // ß folds to ss
  EXPECT_NE(name_key("Jose"), jose);
  EXPECT_NE(name_key("Dana"), name_key("Dan"));
  EXPECT_EQ(name_key("\xC3"), "");
  EXPECT_THAT(error("\xE3\x85\xA4\xE3\x85\xA4"), HasSubstr("visible"))  // U+3164 twice: shows nothing
      << "a name whose key is empty would match every other such name";
}

}  // namespace
}  // namespace doorbell
