#include "doorbell/api/event_routes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace doorbell::api {
namespace {

using ::testing::HasSubstr;

TEST(EventRoutes, TheNextPageKeepsTheFilters) {
  testing::TempDir dir;
  storage::EventStore store(dir.path());
  for (int i = 0; i < 3; ++i) {
    model::Event e;
    e.time = "2026-12-02T10:00:00.000Z";
    e.source = "gpio";
    e.kind = model::EventKind::known;
    e.names = {"Dana Scully"};
    store.insert(e);
  }
  const Params params{{"limit", "2"}, {"kind", "known"}, {"person", "Dana Scully"}};
  const auto page = nlohmann::json::parse(list_events(store, params).body);
  ASSERT_EQ(page["events"].size(), 2u);
  const auto next = page["next"].get<std::string>();
  EXPECT_THAT(next, HasSubstr("kind=known"));
  EXPECT_THAT(next, HasSubstr("person=Dana%20Scully"));
  EXPECT_THAT(next, HasSubstr("limit=2"));
  EXPECT_THAT(next, HasSubstr("before=" + std::to_string(page["events"][1]["id"].get<int>())));
}

TEST(EventRoutes, AnUnacceptablePersonNameIs400) {
  testing::TempDir dir;
  storage::EventStore store(dir.path());
  const auto answer = list_events(store, {{"person", "Eve\u202E"}});
  EXPECT_EQ(answer.status, 400);
  EXPECT_THAT(answer.body, HasSubstr("person"));
}

}  // namespace
}  // namespace doorbell::api
