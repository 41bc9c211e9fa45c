// The audit trail on each backend: appended and listed newest first, filtered and paged, pruned by age,
// never changed; and AuditTrail's count of what it wrote.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "doorbell/model/time_text.hpp"
#include "doorbell/observability/metrics.hpp"
#include "doorbell/storage/audit_trail.hpp"
#include "support/store_backends.hpp"

namespace doorbell::storage {
namespace {

using ::testing::HasSubstr;

class AuditStoreTest : public testing::StoreTest {};
DOORBELL_ON_EACH_BACKEND(AuditStoreTest);

AuditEntry entry(std::string action, std::string name, std::string actor = "dana") {
  const auto type = action.substr(0, action.find('.'));
  return {0,
          {},
          "front",
          {std::move(actor), "session", "10.0.0.7"},
          std::move(action),
          type,
          "7",
          std::move(name),
          ""};
}

TEST_P(AuditStoreTest, EntriesAreListedNewestFirstFilteredAndPaged) {
  AuditStore store(where());
  store.append(entry("person.created", "Dana"));
  store.append(entry("sample.added", "Dana"));
  store.append(entry("person.renamed", "Dana S."));
  store.append(entry("user.added", "kid", "cli:root"));
  const auto all = store.list({});
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].action, "user.added");
  EXPECT_EQ(all[3].action, "person.created");
  EXPECT_EQ(all[3].door, "front");
  EXPECT_EQ(all[3].actor.address, "10.0.0.7");
  EXPECT_TRUE(model::parse_iso_time(all[3].time)) << all[3].time;

  AuditQuery people;
  people.action = "person";
  EXPECT_EQ(store.list(people).size(), 2u) << "every person.… action";
  AuditQuery renamed;
  renamed.action = "person.renamed";
  EXPECT_EQ(store.list(renamed).at(0).object_name, "Dana S.");
  AuditQuery by_cli;
  by_cli.actor = "cli:root";
  EXPECT_EQ(store.list(by_cli).size(), 1u);
  AuditQuery page;
  page.limit = 2;
  const auto first = store.list(page);
  page.before_id = first.back().id;
  const auto second = store.list(page);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second.back().action, "person.created");
  AuditQuery later;
  later.since = model::iso_time(std::chrono::system_clock::now() + std::chrono::hours(1));
  EXPECT_TRUE(store.list(later).empty());
}

TEST_P(AuditStoreTest, EntriesAreNeverChangedOnlyPrunedByAge) {
  AuditStore store(where());
  store.append(entry("person.created", "Dana"));
  auto db = open(migrations());
  EXPECT_THROW(db.exec("UPDATE audit SET actor = 'someone else'"), DatabaseError);
  EXPECT_EQ(store.list({}).at(0).actor.name, "dana");
  EXPECT_EQ(store.prune(model::iso_time(std::chrono::system_clock::now() - std::chrono::hours(1))), 0);
  EXPECT_EQ(store.prune(model::iso_time(std::chrono::system_clock::now() + std::chrono::seconds(1))), 1);
  EXPECT_TRUE(store.list({}).empty());
}

TEST_P(AuditStoreTest, TheTrailCountsWhatItWroteAndStampsItsDoor) {
  Metrics metrics;
  AuditTrail trail(where(), "back", metrics.registry());
  trail.record(entry("visitor.ignored", "Visitor 3"));
  trail.record(entry("visitor.ignored", "Visitor 4"));
  EXPECT_EQ(trail.list({}).at(0).door, "back");
  EXPECT_EQ(trail.prune(Days(0), std::chrono::system_clock::now()), 0) << "0 keeps everything";
  EXPECT_THAT(metrics.render(), HasSubstr("doorbell_audit_entries_total{action=\"visitor.ignored\"} 2"));
}

}  // namespace
}  // namespace doorbell::storage
