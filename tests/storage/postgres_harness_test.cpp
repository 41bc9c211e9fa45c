// The throw-away PostgreSQL server the shared-storage tests run against (issue 16): it starts, takes a
// connection through libpq, carries LISTEN/NOTIFY from one connection to another — what keeps every
// door's gallery fresh — and stops and starts again, as in an outage a Database connection survives.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sys/select.h>

#include <chrono>
#include <memory>

#include "doorbell/storage/database.hpp"
#include "support/postgres.hpp"

namespace doorbell::testing {
namespace {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;

Connection connect(const ThrowawayPostgres& server) {
  return {PQconnectdb(server.conninfo().c_str()), &PQfinish};
}

bool exec(PGconn* c, const char* sql) {
  const std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(c, sql), &PQclear);
  return PQresultStatus(r.get()) == PGRES_COMMAND_OK || PQresultStatus(r.get()) == PGRES_TUPLES_OK;
}

TEST(PostgresHarness, ANotificationReachesAListeningConnectionWithinASecond) {
  ThrowawayPostgres server;
  if (!server.unavailable().empty()) GTEST_SKIP() << server.unavailable();
  auto listener = connect(server);
  auto sender = connect(server);
  ASSERT_EQ(PQstatus(listener.get()), CONNECTION_OK) << PQerrorMessage(listener.get());
  ASSERT_EQ(PQstatus(sender.get()), CONNECTION_OK) << PQerrorMessage(sender.get());
  ASSERT_TRUE(exec(listener.get(), "LISTEN gallery"));

  const auto sent = std::chrono::steady_clock::now();
  ASSERT_TRUE(exec(sender.get(), "NOTIFY gallery, '42'"));
  std::unique_ptr<PGnotify, decltype(&PQfreemem)> note(nullptr, &PQfreemem);
  while (!note && std::chrono::steady_clock::now() - sent < std::chrono::seconds(1)) {
    const int socket = PQsocket(listener.get());
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(socket, &readable);
    timeval wait{0, 100'000};
    select(socket + 1, &readable, nullptr, nullptr, &wait);
    ASSERT_EQ(PQconsumeInput(listener.get()), 1) << PQerrorMessage(listener.get());
    note.reset(PQnotifies(listener.get()));
  }
  ASSERT_TRUE(note) << "no notification within 1 s";
  EXPECT_STREQ(note->relname, "gallery");
  EXPECT_STREQ(note->extra, "42");
}

// A door started while the server is down: its connection is made, fails each statement, and is migrated
// at the first one after the server answers. A server that answers and refuses is an error at once.
TEST(PostgresHarness, AConnectionOpenedWhileTheServerIsDownIsMigratedOnceItAnswers) {
  ThrowawayPostgres server;
  if (!server.unavailable().empty()) GTEST_SKIP() << server.unavailable();
  EXPECT_THAT([&] { storage::Database::postgres(server.conninfo() + " dbname=nothing_here", {}); },
              ::testing::ThrowsMessage<storage::DatabaseError>(::testing::HasSubstr("cannot connect")));
  server.stop();
  const std::vector<std::string_view> migrations{"CREATE TABLE t (x INTEGER)"};
  auto db = storage::Database::postgres(server.conninfo(), migrations);
  EXPECT_THAT([&] { db.exec("INSERT INTO t VALUES (1)"); },
              ::testing::ThrowsMessage<storage::DatabaseError>(::testing::HasSubstr("connection lost")));
  ASSERT_EQ(server.start(), "");
  db.exec("INSERT INTO t VALUES (1)");
  EXPECT_EQ(db.schema_version(), 1) << "migrated when it first answered";
}

TEST(PostgresHarness, ALostConnectionComesBackWithTheServer) {
  ThrowawayPostgres server;
  if (!server.unavailable().empty()) GTEST_SKIP() << server.unavailable();
  auto db = storage::Database::postgres(server.conninfo(), {});
  db.exec("CREATE TABLE t (x INTEGER)");
  const auto count = [&] {
    auto stmt = db.prepare("SELECT count(*) FROM t");
    stmt.step();
    return stmt.integer(0);
  };
  db.exec("INSERT INTO t VALUES (1)");
  server.stop();
  EXPECT_THAT(count, ::testing::ThrowsMessage<storage::DatabaseError>(
                         ::testing::HasSubstr("PostgreSQL connection lost")));
  EXPECT_THAT(count,
              ::testing::ThrowsMessage<storage::DatabaseError>(::testing::HasSubstr("Connection refused")))
      << "each statement tries again, and says why it failed";
  ASSERT_EQ(server.start(), "");
  EXPECT_EQ(count(), 1) << "the next statement reconnects";

  // A connection left idle across a restart is found closed before its next statement is sent: that
  // statement succeeds on a new connection.
  server.stop();
  ASSERT_EQ(server.start(), "");
  EXPECT_EQ(count(), 1);
}

}  // namespace
}  // namespace doorbell::testing
