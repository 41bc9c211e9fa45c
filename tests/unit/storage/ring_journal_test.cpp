#include "doorbell/storage/ring_journal.hpp"

#include <gtest/gtest.h>

#include "doorbell/storage/event_store.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::storage {
namespace {

TEST(RingJournal, ARingStaysUntilTheTransactionThatStoresItsDecision) {
  testing::TempDir dir;
  RingJournal journal(dir.path());
  EventStore events(dir.path());
  const auto decided = journal.record({0, "2026-12-01T10:00:00.000Z", "gpio", "", ""});
  const auto interrupted = journal.record({0, "2026-12-01T10:00:05.000Z", "http", "ab", "cd"});
  const auto refused = journal.record({0, "2026-12-01T10:00:06.000Z", "http", "", ""});
  journal.forget(refused);

  model::Event event;
  event.time = "2026-12-01T10:00:00.000Z";
  event.source = "gpio";
  event.kind = model::EventKind::known;
  event.ring_id = decided;
  events.insert(event);

  const auto left = RingJournal(dir.path()).unfinished();  // as the next start sees it
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, interrupted);
  EXPECT_EQ(left[0].time, "2026-12-01T10:00:05.000Z");
  EXPECT_EQ(left[0].source, "http");
  EXPECT_EQ(left[0].trace_id, "ab");

  event.kind = model::EventKind::interrupted;  // the kind a ring left undecided is recorded as
  event.ring_id = interrupted;
  EXPECT_NO_THROW(events.insert(event));
  EXPECT_TRUE(journal.unfinished().empty());
}

// A held event names its ring by id (EventSpool::holds_ring): an id is never given to a second ring.
TEST(RingJournal, ARingsIdIsNeverUsedAgain) {
  testing::TempDir dir;
  RingJournal journal(dir.path());
  const auto first = journal.record({0, "2026-12-01T10:00:00.000Z", "gpio", "", ""});
  journal.forget(first);
  EXPECT_GT(RingJournal(dir.path()).record({0, "2026-12-01T10:00:01.000Z", "gpio", "", ""}), first);
}

}  // namespace
}  // namespace doorbell::storage
