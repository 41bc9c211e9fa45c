// Enrollment and identification with real models, images and SQLite: each error is distinct and
// leaves the gallery untouched.
#include "doorbell/gallery/face_service.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "support/models.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::testing {
namespace {

using gallery::FaceError;
using model::PersonKind;

std::vector<std::uint8_t> bytes_of(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::uint8_t> blurred(const std::filesystem::path& path) {
  cv::Mat image = cv::imread(path.string());
  cv::GaussianBlur(image, image, {0, 0}, 4.0);
  std::vector<std::uint8_t> out;
  cv::imencode(".jpg", image, out);
  return out;
}

class FaceServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { engine = new recognition::FaceEngine(recognition_config()); }
  static void TearDownTestSuite() { delete engine; }

  FaceError::Code error_of(const std::function<void()>& action) {
    try {
      action();
    } catch (const FaceError& e) {
      return e.code();
    }
    ADD_FAILURE() << "no error";
    return FaceError::Code::invalid_request;
  }
  void expect_gallery_empty() {
    EXPECT_TRUE(store.list().empty());
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "faces") &&
                 std::filesystem::directory_iterator(dir.path() / "faces") !=
                     std::filesystem::directory_iterator())
        << "no files left behind";
  }

  static recognition::FaceEngine* engine;
  TempDir dir;
  storage::GalleryStore store{dir.path()};
  gallery::GalleryCache gallery;
  gallery::FaceService service{*engine, store, gallery, recognition_config()};
  const std::vector<std::uint8_t> one_face = bytes_of(portrait(2));
  const std::vector<std::uint8_t> four_faces = bytes_of(portrait(1));
};
recognition::FaceEngine* FaceServiceTest::engine = nullptr;

TEST_F(FaceServiceTest, EnrollThenIdentifyRoundTrips) {
  const std::vector<gallery::ImageInput> images{{"sample2.jpg", one_face}};
  const auto person = service.enroll("Dana", PersonKind::known, images);
  const auto found = service.identify({"sample2.jpg", one_face});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].match.verdict, model::Verdict::known);
  EXPECT_EQ(found[0].name, "Dana");
  EXPECT_LT(found[0].match.distance, 0.01);

  const std::vector<gallery::ImageInput> blacklist{{"sample1.jpg", four_faces}};
  EXPECT_EQ(error_of([&] { service.enroll("Eve", PersonKind::blacklist, blacklist); }),
            FaceError::Code::several_faces);
  EXPECT_EQ(store.list().size(), 1u);
  EXPECT_EQ(error_of([&] { service.enroll("Dana", PersonKind::blacklist, images); }),
            FaceError::Code::name_conflict);
  EXPECT_EQ(service.add_faces(person.id, images).id, person.id);
  EXPECT_EQ(store.list()[0].samples, 2u);

  EXPECT_TRUE(service.remove(person.id));
  const auto after = service.identify({"sample2.jpg", one_face});
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].match.verdict, model::Verdict::unknown) << "the cached gallery follows removals";
}

TEST_F(FaceServiceTest, EachProblemHasItsOwnErrorAndWritesNothing) {
  const std::vector<std::uint8_t> text{'h', 'i'};
  const std::vector<gallery::ImageInput> not_image{{"notes.txt", text}};
  EXPECT_EQ(error_of([&] { service.enroll("A", PersonKind::known, not_image); }),
            FaceError::Code::not_an_image);

  cv::Mat blank(480, 640, CV_8UC3, cv::Scalar(90, 120, 150));
  std::vector<std::uint8_t> blank_jpeg;
  cv::imencode(".jpg", blank, blank_jpeg);
  const std::vector<gallery::ImageInput> no_face{{"wall.jpg", blank_jpeg}};
  EXPECT_EQ(error_of([&] { service.enroll("A", PersonKind::known, no_face); }), FaceError::Code::no_face);

  const auto blurry = blurred(portrait(2));
  const std::vector<gallery::ImageInput> poor{{"blurry.jpg", blurry}};
  EXPECT_EQ(error_of([&] { service.enroll("A", PersonKind::known, poor); }), FaceError::Code::poor_quality);

  // A good image followed by a bad one: the good one is not kept either.
  const std::vector<gallery::ImageInput> mixed{{"good.jpg", one_face}, {"group.jpg", four_faces}};
  EXPECT_EQ(error_of([&] { service.enroll("A", PersonKind::known, mixed); }), FaceError::Code::several_faces);
  expect_gallery_empty();

  const std::vector<gallery::ImageInput> images{{"sample2.jpg", one_face}};
  EXPECT_EQ(error_of([&] { service.add_faces(999, images); }), FaceError::Code::unknown_person);
  EXPECT_EQ(error_of([&] { service.enroll("", PersonKind::known, images); }),
            FaceError::Code::invalid_request);
  expect_gallery_empty();
}

TEST_F(FaceServiceTest, ErrorsMapToDistinctHttpStatuses) {
  EXPECT_EQ(FaceError(FaceError::Code::not_an_image, "").http_status(), 415);
  EXPECT_EQ(FaceError(FaceError::Code::image_too_large, "").http_status(), 413);
  EXPECT_EQ(FaceError(FaceError::Code::unknown_person, "").http_status(), 404);
  EXPECT_EQ(FaceError(FaceError::Code::name_conflict, "").http_status(), 409);
  EXPECT_EQ(FaceError(FaceError::Code::no_face, "").http_status(), 422);
  EXPECT_STREQ(FaceError(FaceError::Code::several_faces, "").name(), "several_faces");
}

}  // namespace
}  // namespace doorbell::testing
