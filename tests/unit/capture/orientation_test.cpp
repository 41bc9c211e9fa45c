// A camera mounted sideways or upside down: its pictures turned and mirrored before anything sees them.
#include "capture/orientation.hpp"

#include <gtest/gtest.h>

namespace doorbell::capture {
namespace {

// A 3x2 picture whose pixels are numbered 1-6 in their blue byte, row by row:  1 2 3
//                                                                             4 5 6
Image numbered() {
  Image image{3, 2, {}};
  for (std::uint8_t n = 1; n <= 6; ++n) image.pixels.insert(image.pixels.end(), {n, 0, 0});
  return image;
}

std::vector<int> blues(const Image& image) {
  std::vector<int> out;
  for (std::size_t i = 0; i < image.pixels.size(); i += 3) out.push_back(image.pixels[i]);
  return out;
}

TEST(Orientation, UprightAndUnmirroredIsLeftAlone) {
  auto image = numbered();
  const auto* before = image.pixels.data();
  orient(image, 0, false);
  EXPECT_EQ(blues(image), (std::vector<int>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(image.pixels.data(), before) << "not copied";
}

TEST(Orientation, TurnsClockwiseAndSwapsTheSizeForAQuarterTurn) {
  auto image = numbered();
  orient(image, 90, false);
  EXPECT_EQ(image.width, 2);
  EXPECT_EQ(image.height, 3);
  EXPECT_EQ(blues(image), (std::vector<int>{4, 1, 5, 2, 6, 3}));
  image = numbered();
  orient(image, 270, false);
  EXPECT_EQ(blues(image), (std::vector<int>{3, 6, 2, 5, 1, 4}));
  image = numbered();
  orient(image, 180, false);
  EXPECT_EQ(image.width, 3);
  EXPECT_EQ(blues(image), (std::vector<int>{6, 5, 4, 3, 2, 1}));
}

TEST(Orientation, MirrorsLeftToRightAfterTurning) {
  auto image = numbered();
  orient(image, 0, true);
  EXPECT_EQ(blues(image), (std::vector<int>{3, 2, 1, 6, 5, 4}));
  image = numbered();
  orient(image, 90, true);
  EXPECT_EQ(blues(image), (std::vector<int>{1, 4, 2, 5, 3, 6}));
}

}  // namespace
}  // namespace doorbell::capture
