#include "doorbell/common/image_intake.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/images.hpp"

namespace doorbell {
namespace {

using Problem = DecodedUpload::Problem;
using ::testing::HasSubstr;

using testing::bomb_image;
using testing::encode_image;
using testing::gradient_image;

TEST(ImageIntake, ReadsFormatAndSizeFromTheHeader) {
  const auto jpeg = read_image_header(encode_image(gradient_image(64, 48), ".jpg"));
  ASSERT_TRUE(jpeg);
  EXPECT_EQ(jpeg->format, ImageHeader::Format::jpeg);
  EXPECT_EQ(jpeg->width, 64);
  EXPECT_EQ(jpeg->height, 48);
  EXPECT_TRUE(jpeg->complete);
  const auto png = read_image_header(encode_image(gradient_image(33, 7), ".png"));
  ASSERT_TRUE(png);
  EXPECT_EQ(png->format, ImageHeader::Format::png);
  EXPECT_EQ(png->width, 33);
  EXPECT_EQ(png->height, 7);
  EXPECT_TRUE(png->complete);
}

TEST(ImageIntake, DecodesJpegAndPng) {
  for (const char* ext : {".jpg", ".png"}) {
    const auto decoded = decode_upload(encode_image(gradient_image(64, 48), ext));
    ASSERT_EQ(decoded.problem, Problem::none) << ext << ": " << decoded.message;
    EXPECT_EQ(decoded.image.width, 64);
    EXPECT_EQ(decoded.image.height, 48);
    EXPECT_EQ(decoded.image.pixels.size(), 64u * 48u * 3u);
  }
}

TEST(ImageIntake, DecompressionBombsAreRefusedFromTheHeader) {
  for (const char* ext : {".jpg", ".png"}) {
    const auto decoded = decode_upload(bomb_image(ext));
    EXPECT_EQ(decoded.problem, Problem::too_large) << ext;
    EXPECT_THAT(decoded.message, HasSubstr("30000x30000"));
    EXPECT_TRUE(decoded.image.pixels.empty()) << "nothing decoded";
  }
}

TEST(ImageIntake, TruncatedImagesAreRefusedNotDecodedHalfGrey) {
  for (const char* ext : {".jpg", ".png"}) {
    auto bytes = encode_image(gradient_image(200, 200), ext);
    bytes.resize(bytes.size() * 2 / 3);
    EXPECT_EQ(decode_upload(bytes).problem, Problem::truncated) << ext;
  }
}

TEST(ImageIntake, OtherFormatsAndGarbageAreNotImages) {
  EXPECT_EQ(decode_upload(encode_image(gradient_image(8, 8), ".bmp")).problem, Problem::not_an_image);
  const std::vector<std::uint8_t> text{'h', 'e', 'l', 'l', 'o'};
  EXPECT_EQ(decode_upload(text).problem, Problem::not_an_image);
  EXPECT_EQ(decode_upload({}).problem, Problem::not_an_image);
  auto damaged = encode_image(gradient_image(64, 64), ".png");
  for (std::size_t i = 40; i < damaged.size() - 20; ++i) damaged[i] ^= 0x5A;
  EXPECT_EQ(decode_upload(damaged).problem, Problem::damaged);
}

TEST(ImageIntake, LargeJpegsAreDecodedAtAFractionOfTheirSize) {
  const auto decoded =
      decode_upload(encode_image(cv::Mat(4000, 6000, CV_8UC3, cv::Scalar(40, 80, 120)), ".jpg"));
  ASSERT_EQ(decoded.problem, Problem::none) << decoded.message;
  EXPECT_EQ(decoded.scale, 2) << "24 MP over the 8 MP budget";
  EXPECT_EQ(decoded.image.width, 3000);
  EXPECT_EQ(decoded.image.height, 2000);
  const auto bigger = decode_upload(encode_image(cv::Mat(6000, 6000, CV_8UC3, cv::Scalar(1, 2, 3)), ".jpg"));
  EXPECT_EQ(bigger.scale, 4) << "36 MP";
  EXPECT_EQ(bigger.image.width, 1500);
}

}  // namespace
}  // namespace doorbell
