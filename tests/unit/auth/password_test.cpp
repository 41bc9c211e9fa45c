#include "doorbell/auth/password.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doorbell::auth {
namespace {

using ::testing::StartsWith;

TEST(Password, HashIsSaltedScryptThatVerifiesOnlyTheSamePassword) {
  const auto hash = hash_password("correct horse");
  EXPECT_THAT(hash, StartsWith("$scrypt$ln=15,r=8,p=1$"));
  EXPECT_NE(hash, hash_password("correct horse")) << "a fresh salt each time";
  EXPECT_TRUE(verify_password("correct horse", hash));
  EXPECT_FALSE(verify_password("correct horsE", hash));
  EXPECT_FALSE(verify_password("", hash));
}

TEST(Password, ShortAndOverlongPasswordsAreRefused) {
  EXPECT_THROW(hash_password("1234567"), std::invalid_argument);
  EXPECT_THROW(hash_password(std::string(kMaxPasswordLength + 1, 'x')), std::invalid_argument);
  EXPECT_NO_THROW(hash_password("12345678"));
}

TEST(Password, MalformedOrCostlyStoredHashesNeverMatch) {
  const auto hash = hash_password("correct horse");
  EXPECT_FALSE(verify_password("correct horse", ""));
  EXPECT_FALSE(verify_password("correct horse", "$scrypt$none"));
  EXPECT_FALSE(verify_password("correct horse", hash.substr(0, hash.size() - 2)));
  auto costly = hash;
  costly.replace(costly.find("ln=15"), 5, "ln=30");
  EXPECT_FALSE(verify_password("correct horse", costly))
      << "a stored cost over the bound is refused, not run";
}

TEST(Password, RandomTokensAreHexOfTheAskedSize) {
  const auto a = random_token();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, random_token());
  EXPECT_EQ(random_token(16).size(), 32u);
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace doorbell::auth
