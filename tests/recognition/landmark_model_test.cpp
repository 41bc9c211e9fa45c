// The compact landmark model against dlib's own shape_predictor, on every face of the real portraits. A
// cascade of regression trees amplifies the smallest change (a feature pixel moves, a split goes the
// other way), so the 16-bit leaves move some points a pixel or two — as much as a frame's noise does.
#include "recognition/landmark_model.hpp"

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <opencv2/imgcodecs.hpp>

#include "support/models.hpp"

namespace doorbell::recognition {
namespace {

TEST(LandmarkModel, PlacesThePointsOfEveryFaceWhereDlibDoes) {
  const auto path = testing::recognition_config().landmarks_model;
  dlib::shape_predictor dlib_model;
  dlib::deserialize(path) >> dlib_model;
  std::ifstream in(path, std::ios::binary);
  const LandmarkModel compact(in);
  ASSERT_EQ(compact.num_parts(), 68u);

  auto detector = dlib::get_frontal_face_detector();
  long points = 0, moved = 0;
  for (int n = 1; n <= 6; ++n) {
    const cv::Mat picture = cv::imread(testing::portrait(n).string());
    const BgrView image{{picture.data, picture.cols, picture.rows, picture.step}};
    for (const auto& box : detector(image)) {
      const auto expected = dlib_model(image, box);
      const auto actual = compact(image, box);
      ASSERT_EQ(actual.num_parts(), expected.num_parts());
      for (unsigned long p = 0; p < expected.num_parts(); ++p) {
        const auto gap = actual.part(p) - expected.part(p);
        EXPECT_LE(std::max(std::abs(gap.x()), std::abs(gap.y())), 2) << "sample" << n << " point " << p;
        moved += gap != dlib::point(0, 0);
        ++points;
      }
    }
  }
  EXPECT_GE(points, 20 * 68) << "the 20 faces of the six portraits";
  EXPECT_LE(moved, points * 15 / 100) << moved << " of " << points << " points moved from dlib's";
  std::cout << moved << " of " << points << " points moved from dlib's, by 2 px at most\n";
}

TEST(LandmarkModel, RefusesAFileThatIsNotAShapePredictor) {
  std::istringstream net(std::string("\x01\x02 not a predictor", 20));
  EXPECT_THROW(LandmarkModel{net}, dlib::serialization_error);
}

}  // namespace
}  // namespace doorbell::recognition
