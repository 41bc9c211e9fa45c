// FaceEngine on real portraits with the real models.
#include "doorbell/recognition/face_engine.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "doorbell/common/image_codec.hpp"
#include "doorbell/model/gallery_index.hpp"
#include "support/models.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::testing {
namespace {

using model::Face;
using recognition::FaceEngine;
using ::testing::HasSubstr;

cv::Mat as_mat(const Image& image) {
  return cv::Mat(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.pixels.data())).clone();
}

Image from_mat(const cv::Mat& mat) {
  std::vector<std::uint8_t> jpeg;
  cv::imencode(".png", mat, jpeg);
  return *decode_image(jpeg);
}

class FaceEngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { engine = new FaceEngine(recognition_config()); }
  static void TearDownTestSuite() { delete engine; }
  static std::vector<Face> usable(const Image& image) {
    auto faces = engine->analyze(image.view());
    std::erase_if(faces, [](const Face& f) { return !f.quality.ok(); });
    return faces;
  }
  static FaceEngine* engine;
};
FaceEngine* FaceEngineTest::engine = nullptr;

TEST_F(FaceEngineTest, FindsTheFacesInPortraits) {
  const auto one = engine->analyze(read_image_file(portrait(2)).view());
  ASSERT_EQ(one.size(), 1u);
  EXPECT_TRUE(one[0].quality.ok()) << one[0].quality.problem;
  EXPECT_NEAR(one[0].box.x + one[0].box.width / 2.0, 1538, 60);
  EXPECT_GE(engine->analyze(read_image_file(portrait(6)).view()).size(), 4u);
  const auto& t = engine->last_timings();
  EXPECT_GT(t.detect_ms, 0);
  EXPECT_GT(t.descriptor_ms, 0);
}

TEST_F(FaceEngineTest, AugmentedCopyOfAFaceMatchesTheOriginal) {
  const auto original_image = read_image_file(portrait(6));
  const auto originals = usable(original_image);
  ASSERT_FALSE(originals.empty());
  const auto& original = originals.front();

  // Crop around the face, mirror it, brighten it and re-encode it as a low-quality JPEG.
  const cv::Mat full = as_mat(original_image);
  const cv::Rect around(original.box.x - original.box.width, original.box.y - original.box.height,
                        original.box.width * 3, original.box.height * 3);
  cv::Mat copy = full(around & cv::Rect(0, 0, full.cols, full.rows)).clone();
  cv::flip(copy, copy, 1);
  copy.convertTo(copy, -1, 1.0, 30);
  std::vector<std::uint8_t> jpeg;
  cv::imencode(".jpg", copy, jpeg, {cv::IMWRITE_JPEG_QUALITY, 60});
  const auto augmented = usable(*decode_image(jpeg));
  ASSERT_EQ(augmented.size(), 1u);
  const double d = model::distance(original.descriptor, augmented[0].descriptor);
  RecordProperty("augmented_distance", std::to_string(d));
  EXPECT_LT(d, 0.6) << "threshold";
  EXPECT_LT(d, 0.35) << "a copy of the same face should be well inside it";
}

TEST_F(FaceEngineTest, DifferentPeopleInOnePhotoStayApart) {
  for (const int n : {1, 4, 5, 6}) {
    const auto faces = usable(read_image_file(portrait(n)));
    ASSERT_GE(faces.size(), 2u) << "sample" << n;
    for (std::size_t i = 0; i < faces.size(); ++i) {
      for (std::size_t j = i + 1; j < faces.size(); ++j) {
        EXPECT_GT(model::distance(faces[i].descriptor, faces[j].descriptor), 0.6)
            << "sample" << n << " faces " << i << " and " << j;
      }
    }
  }
}

TEST_F(FaceEngineTest, QualityGateRejectsSmallAndBlurryFaces) {
  const cv::Mat full = as_mat(read_image_file(portrait(2)));
  cv::Mat small;
  cv::resize(full, small, {}, 0.4, 0.4, cv::INTER_AREA);  // the 180 px face becomes ~72 px
  auto faces = engine->analyze(from_mat(small).view());
  ASSERT_EQ(faces.size(), 1u);
  EXPECT_THAT(faces[0].quality.problem, HasSubstr("too small"));

  cv::Mat blurred;
  cv::GaussianBlur(full, blurred, {0, 0}, 4.0);
  faces = engine->analyze(from_mat(blurred).view());
  ASSERT_EQ(faces.size(), 1u);
  EXPECT_THAT(faces[0].quality.problem, HasSubstr("too blurry"));
  EXPECT_EQ(faces[0].descriptor, model::Descriptor{}) << "no descriptor for a rejected face";
}

TEST_F(FaceEngineTest, RegionOfInterestLimitsWhereFacesAreLooked_for) {
  auto config = recognition_config();
  config.roi_x = 0.0;
  config.roi_width = 0.5;  // the left half: sample2's usable face is on the right
  FaceEngine left_half(config);
  EXPECT_TRUE(left_half.analyze(read_image_file(portrait(2)).view()).empty());
  config.roi_x = 0.5;
  FaceEngine right_half(config);
  const auto faces = right_half.analyze(read_image_file(portrait(2)).view());
  ASSERT_EQ(faces.size(), 1u);
  EXPECT_GT(faces[0].box.x, 960) << "boxes are in frame coordinates";
}

// With a larger min_face_px the detector looks at a smaller copy of the frame: the same face, the same
// box in frame coordinates.
TEST_F(FaceEngineTest, DetectionAtTheScaleOfMinFacePxFindsTheSameFace) {
  const auto image = read_image_file(portrait(2));
  const auto full = engine->analyze(image.view());
  ASSERT_EQ(full.size(), 1u);
  auto config = recognition_config();
  config.min_face_px = 160;  // sample2's face is 181 px wide: detection at half the frame's size
  FaceEngine shrinking(config);
  const auto faces = shrinking.analyze(image.view());
  ASSERT_EQ(faces.size(), 1u);
  EXPECT_NEAR(faces[0].box.x + faces[0].box.width / 2.0, full[0].box.x + full[0].box.width / 2.0,
              0.1 * full[0].box.width);
  EXPECT_NEAR(faces[0].box.width, full[0].box.width, 0.25 * full[0].box.width) << "a pyramid step or so";
  EXPECT_TRUE(faces[0].quality.ok()) << faces[0].quality.problem;
  EXPECT_LT(model::distance(faces[0].descriptor, full[0].descriptor), 0.1) << "the same person";
}

// A ring describes the faces of its best frames in one batch: the same descriptors as frame by frame.
TEST_F(FaceEngineTest, FacesOfSeveralFramesDescribedInOneBatchAreDescribedAsOneByOne) {
  const auto two = engine->assess(read_image_file(portrait(2)).view());
  const auto six = engine->assess(read_image_file(portrait(6)).view());
  const recognition::Assessment* both[] = {&two, &six};
  const auto batch = engine->describe(both);
  ASSERT_EQ(batch.size(), 2u);
  std::size_t described = 0;
  for (std::size_t k = 0; k < 2; ++k) {
    const auto alone = engine->describe(*both[k]);
    ASSERT_EQ(batch[k].size(), alone.size());
    for (std::size_t i = 0; i < alone.size(); ++i) {
      EXPECT_EQ(batch[k][i].quality.ok(), alone[i].quality.ok());
      if (!alone[i].quality.ok()) continue;
      ++described;
      for (std::size_t d = 0; d < model::Descriptor{}.size(); ++d)
        EXPECT_NEAR(batch[k][i].descriptor[d], alone[i].descriptor[d], 1e-5);
    }
  }
  EXPECT_GE(described, 3u) << "faces from both frames";
  FaceEngine assessor(recognition_config(), FaceEngine::Stages::assess);
  EXPECT_THROW(assessor.describe(two), std::logic_error) << "an assessing engine has no network";
}

TEST(FaceEngineModels, MissingOrCorruptModelNamesTheKeyAndFile) {
  auto config = recognition_config();
  config.resnet_model = "/nonexistent/resnet.dat";
  EXPECT_THAT([&] { FaceEngine e(config); },
              ::testing::ThrowsMessage<recognition::ModelError>(::testing::AllOf(
                  HasSubstr("recognition.resnet_model"), HasSubstr("/nonexistent/resnet.dat"))));
  TempDir dir;
  config.resnet_model = dir.write("corrupt.dat", "not a model").string();
  EXPECT_THAT([&] { FaceEngine e(config); },
              ::testing::ThrowsMessage<recognition::ModelError>(HasSubstr("is not a usable dlib model")));
  config = recognition_config();
  config.landmarks_model = config.resnet_model;
  EXPECT_THAT([&] { FaceEngine e(config); },
              ::testing::ThrowsMessage<recognition::ModelError>(HasSubstr("recognition.landmarks_model")));
}

}  // namespace
}  // namespace doorbell::testing
