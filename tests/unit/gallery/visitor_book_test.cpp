#include "doorbell/gallery/visitor_book.hpp"

#include <gtest/gtest.h>

#include "doorbell/model/time_text.hpp"
#include "doorbell/storage/event_store.hpp"
#include "doorbell/storage/gallery_store.hpp"
#include "support/descriptors.hpp"
#include "support/sight.hpp"
#include "support/store_backends.hpp"

namespace doorbell::gallery {
namespace {

class VisitorBookTest : public testing::StoreTest {
 protected:
  // What a recognition worker does with one face at a ring: sights it, stores the event with the face.
  std::int64_t ring(const model::Descriptor& d, model::Verdict verdict = model::Verdict::unknown,
                    std::optional<model::Person> person = std::nullopt, double distance = 1.0,
                    const std::string& source = "gpio") {
    decision::FaceVote v;
    v.verdict = verdict;
    v.person = person;
    v.distance = distance;
    v.descriptor = d;
    v.quality.sharpness = 100;
    v.quality.width_px = 120;
    const auto decided = sight(book, v);
    const auto& seen = decided.outcome.visitor;
    model::Event e;
    e.time = model::iso_time(std::chrono::system_clock::now());
    e.source = source;
    if (!decided.outcome.name.empty()) e.names.push_back(decided.outcome.name);
    e.faces.push_back(decided.outcome);
    e.kind = model::kind_of(e.faces);
    e.described.push_back({0,
                           d,
                           100,
                           120,
                           {0xff, 0xd8, 0xff, 0xd9},
                           decided.vote.person ? decided.vote.person->id : 0,
                           seen ? seen->visitor_id : 0});
    return events.insert(e);
  }

  // The cluster a face at a ring joins: the familiar faces' rules at this book's threshold.
  decision::PersonDecision sight(VisitorBook& in, const decision::FaceVote& vote) {
    return testing::sight(in, vote, config.threshold);
  }

  std::int64_t visitor_of(std::int64_t event_id) {
    const auto faces = book.faces_of_event(event_id);
    return faces.empty() ? -1 : faces.front().visitor_id;
  }

  VisitorsConfig config;  // threshold 0.4
  storage::EventStore events{where()};
  storage::GalleryStore gallery{where()};
  VisitorBook book{where(), config};
};
DOORBELL_ON_EACH_BACKEND(VisitorBookTest);

TEST_P(VisitorBookTest, UnknownFacesOfOnePersonShareACluster_OthersStartTheirOwn) {
  const auto a1 = ring(testing::descriptor_of(0));
  const auto a2 = ring(testing::descriptor_of(0, 0.3f));
  const auto b1 = ring(testing::descriptor_of(1));
  const auto a3 =
      ring(testing::descriptor_of(0, 0.6f));  // 0.6 from the first view, 0.3 from the second: joins

  EXPECT_EQ(visitor_of(a1), visitor_of(a2));
  EXPECT_EQ(visitor_of(a1), visitor_of(a3));
  EXPECT_NE(visitor_of(a1), visitor_of(b1));
  const auto a = book.get(visitor_of(a1));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->seen, 3);
  EXPECT_EQ(a->faces, 3);
  EXPECT_FALSE(a->last_seen.empty());
  ASSERT_EQ(book.list({}).size(), 2u);
  EXPECT_EQ(book.list({}).front().id, visitor_of(a1)) << "the last seen first: a3 came after b1";

  const auto stored = events.get(a3);
  ASSERT_TRUE(stored);
  ASSERT_TRUE(stored->faces[0].visitor);
  EXPECT_EQ(stored->faces[0].visitor->seen, 3);
  storage::EventQuery q;
  q.visitor = visitor_of(a1);
  EXPECT_EQ(events.list(q).size(), 3u) << "every visit of the visitor";
  EXPECT_TRUE(book.crop(book.faces_of_event(a1).front().id));
}

TEST_P(VisitorBookTest, ClustersSurviveARestart) {
  const auto first = ring(testing::descriptor_of(0));
  VisitorBook reopened(where(), config);
  decision::FaceVote v;
  v.descriptor = testing::descriptor_of(0, 0.1f);
  const auto seen = sight(reopened, v).outcome.visitor;
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->visitor_id, visitor_of(first));
  EXPECT_EQ(seen->seen, 2);
}

// Another door's book, opened before this one's changes: it knows them once refreshed (GalleryWatch
// refreshes it on doorbell_visitors), a new face joining this door's cluster and an ignored one ignored.
TEST_P(VisitorBookTest, AnotherDoorsBookRefreshedKnowsTheClustersThisDoorStartedAndIgnored) {
  VisitorBook other_door(where(), config);
  const auto first = ring(testing::descriptor_of(0));
  other_door.refresh();
  decision::FaceVote v;
  v.descriptor = testing::descriptor_of(0, 0.1f);
  auto seen = sight(other_door, v).outcome.visitor;
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->visitor_id, visitor_of(first)) << "the same visitor, not a new cluster";
  EXPECT_EQ(seen->seen, 2);
  EXPECT_FALSE(seen->ignored);

  ASSERT_TRUE(book.set_ignored(visitor_of(first), true));
  seen = sight(other_door, v).outcome.visitor;
  ASSERT_TRUE(seen);
  EXPECT_FALSE(seen->ignored) << "not refreshed yet";
  other_door.refresh();
  seen = sight(other_door, v).outcome.visitor;
  ASSERT_TRUE(seen);
  EXPECT_TRUE(seen->ignored);
}

// A cluster's visits, as read with its faces: the events its faces were seen in, once each; a face whose
// event retention deleted no longer counts (its descriptor still does), on both backends (whose NULLs sort
// at opposite ends).
TEST_P(VisitorBookTest, AClustersVisitsAreItsFacesStoredEvents_OnceEach) {
  const auto first = ring(testing::descriptor_of(0));
  const auto second = ring(testing::descriptor_of(0, 0.1f));
  const auto third = ring(testing::descriptor_of(0, 0.2f));
  const auto cluster = visitor_of(second);
  auto db = open(migrations());
  db.prepare("DELETE FROM events WHERE id = ? OR id = ?").bind(1, first).bind(2, third).run();
  VisitorBook reopened(where(), config);
  decision::FaceVote v;
  v.descriptor = testing::descriptor_of(0, 0.3f);
  const auto seen = sight(reopened, v).outcome.visitor;
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->visitor_id, cluster);
  EXPECT_EQ(seen->seen, 2) << "the one event left, and this one";
}

// A face sighted at this door stays in its cluster while its event is not stored yet, however often the
// clusters are read again meanwhile (another door's change, this door's own notification).
TEST_P(VisitorBookTest, AFaceSightedHereOutlivesARefreshUntilItsEventIsStored) {
  decision::FaceVote v;
  v.descriptor = testing::descriptor_of(0);
  const auto first = sight(book, v).outcome.visitor;  // a new cluster; the event is not stored (yet)
  ASSERT_TRUE(first);
  book.refresh();
  v.descriptor = testing::descriptor_of(0, 0.1f);
  const auto second = sight(book, v).outcome.visitor;
  ASSERT_TRUE(second);
  EXPECT_EQ(second->visitor_id, first->visitor_id) << "not a second cluster";
  EXPECT_EQ(second->seen, 2);
}

TEST_P(VisitorBookTest, AnIgnoredVisitorIsNeverTakenForAFamilyMemberItIsNearerTo) {
  const auto postman = ring(testing::descriptor_of(0));
  ASSERT_TRUE(book.set_ignored(visitor_of(postman), true));
  const auto dad = gallery.create_person("Dad", model::PersonKind::known);

  decision::FaceVote v;  // matched Dad at 0.45, but 0.2 from the postman
  v.verdict = model::Verdict::known;
  v.person = dad;
  v.distance = 0.45;
  v.descriptor = testing::descriptor_of(0, 0.2f);
  const auto decided = sight(book, v);
  const auto& seen = decided.outcome.visitor;
  ASSERT_TRUE(seen);
  EXPECT_TRUE(seen->ignored);
  EXPECT_EQ(seen->visitor_id, visitor_of(postman));
  EXPECT_EQ(decided.outcome.verdict, model::Verdict::unknown);
  EXPECT_EQ(decided.outcome.name, "");
  EXPECT_FALSE(decided.vote.person);

  decision::FaceVote real_dad;  // nearer to Dad than to the postman: Dad, no cluster
  real_dad.verdict = model::Verdict::known;
  real_dad.person = dad;
  real_dad.distance = 0.1;
  real_dad.descriptor = testing::descriptor_of(0, 0.5f);
  const auto dad_decided = sight(book, real_dad);
  EXPECT_FALSE(dad_decided.outcome.visitor);
  EXPECT_EQ(dad_decided.outcome.verdict, model::Verdict::known);
  EXPECT_EQ(dad_decided.outcome.name, "Dad");

  decision::FaceVote blacklisted;  // the blacklist is never overruled
  blacklisted.verdict = model::Verdict::blacklisted;
  blacklisted.distance = 0.5;
  blacklisted.descriptor = testing::descriptor_of(0);
  const auto blacklisted_decided = sight(book, blacklisted);
  EXPECT_FALSE(blacklisted_decided.outcome.visitor);
  EXPECT_EQ(blacklisted_decided.outcome.verdict, model::Verdict::blacklisted);
}

TEST_P(VisitorBookTest, NamingFacesRelabelsTheirEventsAndEmptiesTheCluster) {
  const auto e1 = ring(testing::descriptor_of(0));
  const auto e2 = ring(testing::descriptor_of(0, 0.2f));
  const auto visitor = visitor_of(e1);
  const auto dana = gallery.create_person("Dana", model::PersonKind::known);
  std::vector<std::int64_t> ids;
  for (const auto& f : book.faces_of(visitor)) ids.push_back(f.id);
  book.name_faces(ids, dana);

  for (const auto id : {e1, e2}) {
    const auto e = events.get(id);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->kind, model::EventKind::known);
    EXPECT_EQ(e->names, std::vector<std::string>{"Dana"});
    EXPECT_EQ(e->faces[0].verdict, model::Verdict::known);
    EXPECT_FALSE(e->faces[0].visitor.has_value());
    EXPECT_EQ(book.faces_of_event(id).front().person_id, dana.id);
  }
  EXPECT_TRUE(book.list({}).empty()) << "a cluster without faces is not listed";
  storage::EventQuery q;
  q.person = "dana";
  EXPECT_EQ(events.list(q).size(), 2u);

  ASSERT_TRUE(gallery.remove(dana.id));
  EXPECT_TRUE(book.faces_of_event(e1).empty()) << "removing her removes her faces seen at the door";
}

TEST_P(VisitorBookTest, ThisIsNotDanaStoresANegativeAndMovesTheFaceToTheVisitors) {
  const auto dana = gallery.create_person("Dana", model::PersonKind::known);
  const auto wrong = ring(testing::descriptor_of(0), model::Verdict::known, dana, 0.55);
  const auto face = book.faces_of_event(wrong).front();
  EXPECT_EQ(face.person_id, dana.id);
  EXPECT_EQ(face.visitor_id, 0);

  book.reject(face.id, dana);
  const auto e = events.get(wrong);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, model::EventKind::unknown);
  EXPECT_TRUE(e->names.empty());
  EXPECT_EQ(e->faces[0].verdict, model::Verdict::unknown);
  const auto moved = book.face(face.id);
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->person_id, 0);
  EXPECT_NE(moved->visitor_id, 0) << "the face joins the visitors";
  const auto index = gallery.load_index();
  EXPECT_EQ(index.negatives(), 1u);
}

TEST_P(VisitorBookTest, MergeSplitAndDelete) {
  const auto a = ring(testing::descriptor_of(0));
  const auto b = ring(testing::descriptor_of(1));
  ASSERT_TRUE(book.merge(visitor_of(a), visitor_of(b)));
  EXPECT_EQ(visitor_of(a), visitor_of(b));
  EXPECT_EQ(book.list({}).size(), 1u);
  EXPECT_FALSE(book.merge(visitor_of(a), visitor_of(a)));

  const auto split = book.split({book.faces_of_event(b).front().id});
  EXPECT_EQ(visitor_of(b), split);
  EXPECT_NE(visitor_of(a), split);
  EXPECT_EQ(events.get(b)->faces[0].visitor->visitor_id, split);

  ASSERT_TRUE(book.remove(split));
  EXPECT_TRUE(book.faces_of_event(b).empty()) << "its faces and crops are gone";
  EXPECT_TRUE(events.get(b)) << "the event stays";
  EXPECT_FALSE(events.get(b)->faces[0].visitor.has_value());
  EXPECT_FALSE(book.remove(split));
  decision::FaceVote again;  // a deleted cluster no longer attracts faces
  again.descriptor = testing::descriptor_of(1);
  const auto seen = sight(book, again).outcome.visitor;
  ASSERT_TRUE(seen);
  EXPECT_NE(seen->visitor_id, split);
}

TEST_P(VisitorBookTest, ClustersALaterFaceBridgesAreMergedButNotThoseTheHouseholdSplit) {
  const auto first = ring(testing::descriptor_of(0));
  const auto far =
      ring(testing::descriptor_of(0, 0.7f));  // 0.7 from the first: a visitor of its own, for now
  ASSERT_NE(visitor_of(first), visitor_of(far));
  ring(testing::descriptor_of(0, 0.35f));  // 0.35 from both: joins one, and shows they are one person
  const auto other = ring(testing::descriptor_of(1));
  const auto split = book.split({book.faces_of_event(ring(testing::descriptor_of(1, 0.1f))).front().id});

  EXPECT_EQ(book.merge_bridged(), 1);
  EXPECT_EQ(visitor_of(first), visitor_of(far)) << "merged";
  EXPECT_EQ(book.get(visitor_of(first))->seen, 3);
  EXPECT_NE(visitor_of(other), split) << "a visitor split off by hand stays apart";
  EXPECT_EQ(book.merge_bridged(), 0);
}

TEST_P(VisitorBookTest, PruningKeepsOnlyTheFacesOfIgnoredVisitors) {
  const auto postman = ring(testing::descriptor_of(0));
  const auto stranger = ring(testing::descriptor_of(1));
  const auto postman_visitor = visitor_of(postman);
  ASSERT_TRUE(book.set_ignored(postman_visitor, true));
  const auto far_future = model::iso_time(std::chrono::system_clock::now() + std::chrono::hours(24));
  EXPECT_EQ(events.prune(far_future, 0).events, 2);
  EXPECT_TRUE(book.faces_of_event(stranger).empty());
  EXPECT_EQ(book.faces_of(postman_visitor).size(), 1u) << "the postman stays recognisable";

  book.expire(std::chrono::system_clock::now());  // reloads what retention changed
  decision::FaceVote later;
  later.descriptor = testing::descriptor_of(0, 0.1f);
  const auto seen = sight(book, later).outcome.visitor;
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->visitor_id, postman_visitor);
  EXPECT_TRUE(seen->ignored);
}

TEST_P(VisitorBookTest, ClustersNotSeenForKeepDaysExpireWithTheirFaces) {
  const auto old = ring(testing::descriptor_of(0));
  const auto ignored = ring(testing::descriptor_of(1));
  ASSERT_TRUE(book.set_ignored(visitor_of(ignored), true));
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(book.expire(now), 0) << "seen today";
  ASSERT_EQ(config.keep_days, Days(30));
  EXPECT_EQ(book.expire(now + std::chrono::days(31)), 1);
  EXPECT_TRUE(book.faces_of_event(old).empty());
  EXPECT_TRUE(events.get(old)) << "the event stays";
  EXPECT_EQ(book.faces_of_event(ignored).size(), 1u) << "an ignored visitor is a label: kept";
}

}  // namespace
}  // namespace doorbell::gallery
