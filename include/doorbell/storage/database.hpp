#pragma once
// Database: one SQLite connection (WAL, foreign keys, busy timeout) with numbered schema migrations,
// and Statement, a prepared statement. A connection is used by one thread at a time; open one per
// thread that needs it.

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace doorbell::storage {

class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, std::span<const std::uint8_t> blob);
  // True while there is a row to read; false when done. Throws DatabaseError.
  bool step();
  void run() { step(); }

  std::int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  std::span<const std::uint8_t> blob(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// How a connection's commits survive: `crash` — a killed process loses nothing (WAL, synchronous=NORMAL);
// `power_cut` — nor does a power cut, each commit synced to the disk (synchronous=FULL), for the few
// writes a minute of rings, events and deliveries.
enum class Durability { crash, power_cut };

class Database {
 public:
  // Opens (creating if needed) and migrates to the latest schema. Throws DatabaseError naming the file.
  Database(const std::filesystem::path& file, std::span<const std::string_view> migrations,
           Durability durability = Durability::crash);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  void exec(std::string_view sql);
  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }  // rows changed by the last statement
  int schema_version();
  // Runs `work` in one IMMEDIATE transaction: committed if it returns, rolled back if it throws. Inside
  // another transaction, `work` is part of that one.
  void transaction(const std::function<void()>& work);

 private:
  void migrate(std::span<const std::string_view> migrations);

  sqlite3* db_ = nullptr;
  std::string file_;
};

}  // namespace doorbell::storage
