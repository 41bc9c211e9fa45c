// The SQLite backend: a connection to one file in WAL mode, its migrations numbered by user_version.

#include <fmt/format.h>
#include <sqlite3.h>

#include "backend.hpp"

namespace doorbell::storage::backend {
namespace {

void check(sqlite3* db, int rc, std::string_view what) {
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) {
    throw DatabaseError(fmt::format("{}: {} ({})", what, sqlite3_errmsg(db), sqlite3_errstr(rc)));
  }
}

class SqliteCursor final : public Cursor {
 public:
  SqliteCursor(sqlite3* db, std::string_view sql) : db_(db) {
    check(db_, sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr), sql);
  }
  ~SqliteCursor() override { sqlite3_finalize(stmt_); }
  SqliteCursor(const SqliteCursor&) = delete;
  SqliteCursor& operator=(const SqliteCursor&) = delete;

  void bind(int index, std::int64_t value) override {
    rewind();
    check(db_, sqlite3_bind_int64(stmt_, index, value), "bind");
  }
  void bind(int index, double value) override {
    rewind();
    check(db_, sqlite3_bind_double(stmt_, index, value), "bind");
  }
  void bind(int index, std::string_view value) override {
    rewind();
    check(db_,
          sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT),
          "bind");
  }
  void bind(int index, std::span<const std::uint8_t> blob) override {
    // An empty span may have no data: bound as NULL, it would not be the empty blob asked for.
    rewind();
    check(db_,
          blob.empty()
              ? sqlite3_bind_zeroblob(stmt_, index, 0)
              : sqlite3_bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT),
          "bind");
  }
  bool step() override {
    stepped_ = true;
    const int rc = sqlite3_step(stmt_);
    check(db_, rc, sqlite3_sql(stmt_));
    return rc == SQLITE_ROW;
  }
  std::int64_t integer(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double real(int column) const override { return sqlite3_column_double(stmt_, column); }
  std::string text(int column) const override {
    const auto* p = sqlite3_column_text(stmt_, column);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
  }
  std::span<const std::uint8_t> blob(int column) const override {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
  }

 private:
  // New parameters after a run are for the next run (the other parameters stay bound).
  void rewind() {
    if (stepped_) sqlite3_reset(stmt_);
    stepped_ = false;
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool stepped_ = false;
};

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::filesystem::path& file, std::span<const std::string_view> migrations,
                   Durability durability)
      : file_(file.string()) {
    const int rc = sqlite3_open_v2(file_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
      const std::string reason = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      throw DatabaseError(fmt::format("cannot open database \"{}\": {}", file_, reason));
    }
    try {
      sqlite3_busy_timeout(db_, 5000);
      exec("PRAGMA journal_mode=WAL");
      exec(durability == Durability::power_cut ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
      migrate(migrations);
      exec("PRAGMA foreign_keys=ON");
    } catch (...) {
      sqlite3_close(db_);
      throw;
    }
  }
  ~SqliteConnection() override { sqlite3_close(db_); }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::sqlite; }
  std::unique_ptr<Cursor> prepare(std::string_view sql) override {
    return std::make_unique<SqliteCursor>(db_, sql);
  }
  void exec(std::string_view sql) override {
    const std::string text(sql);
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      const std::string message = error != nullptr ? error : sqlite3_errstr(rc);
      sqlite3_free(error);
      throw DatabaseError(fmt::format("{}: {}", file_, message));
    }
  }
  int changes() const override { return sqlite3_changes(db_); }
  int schema_version() override {
    SqliteCursor stmt(db_, "PRAGMA user_version");
    stmt.step();
    return static_cast<int>(stmt.integer(0));
  }
  bool in_transaction() const override { return sqlite3_get_autocommit(db_) == 0; }
  void begin() override { exec("BEGIN IMMEDIATE"); }
  void commit() override { exec("COMMIT"); }
  void rollback() noexcept override { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }
  void listen(std::string_view /*channel*/) override {
    throw DatabaseError("SQLite has no notifications (LISTEN is PostgreSQL's)");
  }
  Channels wait_for_notifications(std::chrono::milliseconds /*timeout*/) override {
    throw DatabaseError("SQLite has no notifications (LISTEN is PostgreSQL's)");
  }

 private:
  // Foreign keys are off while migrating (SQLite's procedure for rebuilding a table that others refer
  // to) and checked before they are turned on.
  void migrate(std::span<const std::string_view> migrations) {
    const int current = schema_version();
    if (current > static_cast<int>(migrations.size())) {
      throw DatabaseError(fmt::format("database \"{}\" has schema version {}, newer than this doorbelld ({})",
                                      file_, current, migrations.size()));
    }
    for (auto v = static_cast<std::size_t>(current); v < migrations.size(); ++v) {
      begin();
      try {
        exec(migrations[v]);
        SqliteCursor broken(db_, "PRAGMA foreign_key_check");
        if (broken.step()) {
          throw DatabaseError(
              fmt::format("{}: migration {} leaves a broken reference in {}", file_, v + 1, broken.text(0)));
        }
        exec(fmt::format("PRAGMA user_version={}", v + 1));
        commit();
      } catch (...) {
        rollback();
        throw;
      }
    }
  }

  sqlite3* db_ = nullptr;
  std::string file_;
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::filesystem::path& file,
                                        std::span<const std::string_view> migrations, Durability durability) {
  return std::make_unique<SqliteConnection>(file, migrations, durability);
}

}  // namespace doorbell::storage::backend
