// Familiar faces on real descriptors: every usable face of face-api's six portraits, each seen in several
// views — mirrored, smaller, darker, brighter, blurred, tilted, recompressed, as a doorbell camera sees a
// visitor from one ring to the next — rings in turn at a door with nobody enrolled. Each person must
// end up in one visitor cluster of their own.
#include <gtest/gtest.h>

#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <set>

#include "doorbell/gallery/visitor_book.hpp"
#include "doorbell/recognition/face_engine.hpp"
#include "support/models.hpp"
#include "support/sight.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::testing {
namespace {

Image pixels_of(const cv::Mat& mat) {
  Image image{mat.cols, mat.rows, {}};
  image.pixels.assign(mat.data, mat.data + mat.total() * 3);
  return image;
}

// The ways one face differs between two rings.
std::vector<cv::Mat> views_of(const cv::Mat& face) {
  std::vector<cv::Mat> views;
  views.push_back(face.clone());
  cv::Mat v;
  cv::flip(face, v, 1);
  views.push_back(v.clone());
  cv::resize(face, v, {}, 0.7, 0.7, cv::INTER_AREA);
  views.push_back(v.clone());
  face.convertTo(v, -1, 0.7, -20);
  views.push_back(v.clone());
  face.convertTo(v, -1, 1.2, 30);
  views.push_back(v.clone());
  cv::GaussianBlur(face, v, {0, 0}, 1.2);
  views.push_back(v.clone());
  const auto tilt = cv::getRotationMatrix2D(
      cv::Point2f(static_cast<float>(face.cols) / 2, static_cast<float>(face.rows) / 2), 8, 1.0);
  cv::warpAffine(face, v, tilt, face.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  views.push_back(v.clone());
  std::vector<std::uint8_t> jpeg;
  cv::imencode(".jpg", face, jpeg, {cv::IMWRITE_JPEG_QUALITY, 25});
  views.push_back(cv::imdecode(jpeg, cv::IMREAD_COLOR));
  return views;
}

// Every usable face of the portraits, each in several views, described once for the tests below.
class VisitorClusters : public ::testing::Test {
 protected:
  struct Ring {
    std::size_t person;
    std::size_t view;
    model::Descriptor face;
  };

  static void SetUpTestSuite() {
    recognition::FaceEngine engine(recognition_config());
    // Each usable face, cut out with room around it and scaled to about 160 px wide.
    std::vector<cv::Mat> people;
    for (int n = 1; n <= 6; ++n) {
      const cv::Mat photo = cv::imread(portrait(n).string());
      for (const auto& f : engine.analyze(pixels_of(photo).view())) {
        if (!f.quality.ok()) continue;
        const int pad = f.box.width;
        const cv::Rect around =
            cv::Rect(f.box.x - pad, f.box.y - pad, f.box.width + 2 * pad, f.box.height + 2 * pad) &
            cv::Rect(0, 0, photo.cols, photo.rows);
        cv::Mat face;
        cv::resize(photo(around), face, {}, 160.0 / f.box.width, 160.0 / f.box.width, cv::INTER_AREA);
        people.push_back(face);
      }
    }
    // Rings in turn: every person's first view, then every second view, ...
    std::vector<std::vector<cv::Mat>> views;
    for (const auto& face : people) views.push_back(views_of(face));
    rings = new std::vector<Ring>;
    for (std::size_t v = 0; !views.empty() && v < views.front().size(); ++v) {
      for (std::size_t p = 0; p < people.size(); ++p) {
        const auto found = engine.analyze(pixels_of(views[p][v]).view());
        const auto usable =
            std::find_if(found.begin(), found.end(), [](const auto& f) { return f.quality.ok(); });
        if (usable != found.end())
          rings->push_back({p, v, usable->descriptor});  // else a ring without a face
      }
    }
  }
  static void TearDownTestSuite() { delete rings; }

  static std::vector<Ring>* rings;
};

std::vector<VisitorClusters::Ring>* VisitorClusters::rings = nullptr;

TEST_F(VisitorClusters, EachUnenrolledPersonIsOneClusterOfTheirOwnOnRealFaces) {
  ASSERT_GE(rings->size(), 40u) << "enough faces of enough people";
  std::set<std::size_t> seen_people;
  for (const auto& r : *rings) seen_people.insert(r.person);

  // Clusters and their purity at the default threshold and around it (the figures in docs/web-app.md).
  const VisitorsConfig defaults;
  for (const double threshold : {0.35, 0.4, 0.45, 0.5, 0.55}) {
    TempDir dir;
    VisitorsConfig config;
    config.threshold = threshold;
    gallery::VisitorBook book(dir.path(), config);
    std::map<std::int64_t, std::set<std::size_t>> people_in_cluster;
    std::map<std::size_t, std::set<std::int64_t>> clusters_of_person;
    for (const auto& r : *rings) {
      decision::FaceVote vote;
      vote.descriptor = r.face;
      const auto seen = testing::sight(book, vote, threshold).outcome.visitor;
      ASSERT_TRUE(seen);
      people_in_cluster[seen->visitor_id].insert(r.person);
      clusters_of_person[r.person].insert(seen->visitor_id);
    }
    std::size_t pure = 0, whole = 0;
    for (const auto& [cluster, members] : people_in_cluster) pure += members.size() == 1 ? 1 : 0;
    for (const auto& [person, clusters] : clusters_of_person) whole += clusters.size() == 1 ? 1 : 0;
    std::cout << "threshold " << threshold << ": " << seen_people.size() << " people, " << rings->size()
              << " faces -> " << people_in_cluster.size() << " clusters, " << pure << " pure; " << whole
              << " people in one cluster\n";
    if (threshold != defaults.threshold) continue;
    for (const auto& [cluster, members] : people_in_cluster)
      EXPECT_EQ(members.size(), 1u) << "visitor " << cluster << " mixes two people";
    for (const auto& [person, clusters] : clusters_of_person)
      EXPECT_EQ(clusters.size(), 1u) << "person " << person << " is split over several visitors";
  }
}

// A real wrong match: of two different people, the one not enrolled is taken for the other. One "this is
// not ..." on one of their faces, and their other faces are no longer taken for them; the enrolled
// person's own faces still are.
TEST_F(VisitorClusters, OneCorrectionStopsARealWrongMatchWithoutLosingTheRightOnes) {
  const model::MatchPolicy policy;  // the defaults: 0.6, margin 0.04
  // The two people whose first views are nearest (the likeliest mix-up).
  const Ring* enrolled = nullptr;
  const Ring* stranger = nullptr;
  double nearest = 9;
  for (const auto& a : *rings) {
    for (const auto& b : *rings) {
      if (a.view != 0 || b.view != 0 || a.person == b.person) continue;
      if (model::distance(a.face, b.face) < nearest) {
        nearest = model::distance(a.face, b.face);
        enrolled = &a;
        stranger = &b;
      }
    }
  }
  ASSERT_NE(enrolled, nullptr);
  ASSERT_LT(nearest, policy.threshold) << "no two people close enough to be mistaken";
  const auto named_as_enrolled = [&](const model::GalleryIndex& index, std::size_t person) {
    int named = 0, faces = 0;
    for (const auto& r : *rings) {
      if (r.person != person || r.view == 0) continue;
      ++faces;
      const auto m = index.match(r.face, policy);
      named += m.verdict == model::Verdict::known ? 1 : 0;
    }
    return std::pair{named, faces};
  };
  const std::vector<model::Descriptor> sample{enrolled->face};
  model::GalleryIndex before;
  before.add({1, "Ana", model::PersonKind::known}, sample);
  const std::vector<model::Descriptor> negative{stranger->face};  // "this is not Ana", once
  model::GalleryIndex after;
  after.add({1, "Ana", model::PersonKind::known}, sample, negative);

  const auto [wrong_before, stranger_faces] = named_as_enrolled(before, stranger->person);
  const auto [wrong_after, unused] = named_as_enrolled(after, stranger->person);
  const auto [right_before, ana_faces] = named_as_enrolled(before, enrolled->person);
  const auto [right_after, unused_too] = named_as_enrolled(after, enrolled->person);
  std::cout << "people " << enrolled->person << " and " << stranger->person << " (" << nearest
            << " apart): the stranger's other faces named Ana " << wrong_before << " of " << stranger_faces
            << " before the correction, " << wrong_after << " after; Ana's own " << right_before << " of "
            << ana_faces << " before, " << right_after << " after\n";
  EXPECT_GT(wrong_before, 0) << "a real mistake to correct";
  EXPECT_EQ(wrong_after, 0) << "not repeated";
  EXPECT_EQ(right_after, right_before) << "Ana is still named";
}

}  // namespace
}  // namespace doorbell::testing
