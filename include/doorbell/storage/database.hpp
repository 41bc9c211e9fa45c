#pragma once
// Database: one connection to the household's records — an SQLite file (WAL, foreign keys, busy
// timeout) or a PostgreSQL server (libpq) — with numbered schema migrations, and Statement, a prepared
// statement. The same SQL serves both where it can (`?` parameters, RETURNING, ON CONFLICT); dialect()
// picks between the few spellings that differ. A connection is used by one thread at a time; open one per
// thread that needs it.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace doorbell::storage {

class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Dialect { sqlite, postgres };

// The LISTEN channels a notification arrived on.
using Channels = std::set<std::string, std::less<>>;

namespace backend {
class Cursor;
class Connection;
}  // namespace backend

class Statement {
 public:
  explicit Statement(std::unique_ptr<backend::Cursor> cursor);
  ~Statement();
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, std::span<const std::uint8_t> blob);
  // True while there is a row to read; false when done. Throws DatabaseError.
  bool step();
  void run() { step(); }
  // Runs an INSERT … RETURNING id and returns that id.
  std::int64_t returning_id();

  // A NULL reads as 0, "" or an empty blob.
  std::int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  std::span<const std::uint8_t> blob(int column) const;

 private:
  std::unique_ptr<backend::Cursor> cursor_;
};

// How a connection's commits survive: `crash` — a killed process loses nothing (WAL, synchronous=NORMAL);
// `power_cut` — nor does a power cut, each commit synced to the disk (synchronous=FULL), for the few
// writes a minute of rings, events and deliveries. PostgreSQL commits are always durable.
enum class Durability { crash, power_cut };

class Database {
 public:
  // Opens (creating if needed) the SQLite file and migrates it to the latest schema. Throws DatabaseError
  // naming the file.
  Database(const std::filesystem::path& file, std::span<const std::string_view> migrations,
           Durability durability = Durability::crash);
  // Connects to PostgreSQL (a libpq connection string, never logged: it may hold a password) and
  // migrates the database to the latest schema, one server-wide migration at a time. Throws DatabaseError
  // when the server refuses (a password, a database that does not exist) or the schema is newer; a
  // server that does not answer at all is an outage, not an error: the connection is tried again before
  // each statement (which fails until then) and migrated once the server answers.
  static Database postgres(const std::string& conninfo, std::span<const std::string_view> migrations);
  ~Database();
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;

  Dialect dialect() const;
  Statement prepare(std::string_view sql);
  void exec(std::string_view sql);  // one or more statements, without parameters
  int changes() const;              // rows changed by the last statement
  int schema_version();
  // Runs `work` in one transaction (SQLite: IMMEDIATE): committed if it returns, rolled back if it throws.
  // Inside another transaction, `work` is part of that one.
  void transaction(const std::function<void()>& work);
  // PostgreSQL's LISTEN: after listen(channel), wait_for_notifications() returns the channels a NOTIFY
  // (any connection's, committed) arrived on — every one that arrived until then taken at once — or none
  // when `timeout` passed without one. SQLite has no notifications: both throw DatabaseError.
  void listen(std::string_view channel);
  Channels wait_for_notifications(std::chrono::milliseconds timeout);

 private:
  explicit Database(std::unique_ptr<backend::Connection> connection);

  std::unique_ptr<backend::Connection> connection_;
};

}  // namespace doorbell::storage
