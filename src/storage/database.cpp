#include "doorbell/storage/database.hpp"

#include <fmt/format.h>

namespace doorbell::storage {
namespace {

void check(sqlite3* db, int rc, std::string_view what) {
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) {
    throw DatabaseError(fmt::format("{}: {} ({})", what, sqlite3_errmsg(db), sqlite3_errstr(rc)));
  }
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  check(db_, sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr), sql);
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
  check(db_, sqlite3_bind_int64(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  check(db_, sqlite3_bind_double(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  check(db_, sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT),
        "bind");
  return *this;
}

Statement& Statement::bind(int index, std::span<const std::uint8_t> blob) {
  // An empty span may have no data: bound as NULL, it would not be the empty blob asked for.
  check(db_,
        blob.empty()
            ? sqlite3_bind_zeroblob(stmt_, index, 0)
            : sqlite3_bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT),
        "bind");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  check(db_, rc, sqlite3_sql(stmt_));
  return rc == SQLITE_ROW;
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}
double Statement::real(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
}

std::span<const std::uint8_t> Statement::blob(int column) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

Database::Database(const std::filesystem::path& file, std::span<const std::string_view> migrations,
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

// Foreign keys are off while migrating (SQLite's procedure for rebuilding a table that others refer to)
// and checked before they are turned on.
void Database::migrate(std::span<const std::string_view> migrations) {
  const int current = schema_version();
  if (current > static_cast<int>(migrations.size())) {
    throw DatabaseError(fmt::format("database \"{}\" has schema version {}, newer than this doorbelld ({})",
                                    file_, current, migrations.size()));
  }
  for (auto v = static_cast<std::size_t>(current); v < migrations.size(); ++v) {
    transaction([&] {
      exec(migrations[v]);
      auto broken = prepare("PRAGMA foreign_key_check");
      if (broken.step()) {
        throw DatabaseError(
            fmt::format("{}: migration {} leaves a broken reference in {}", file_, v + 1, broken.text(0)));
      }
      exec(fmt::format("PRAGMA user_version={}", v + 1));
    });
  }
}

Database::~Database() {
  sqlite3_close(db_);
}

void Database::exec(std::string_view sql) {
  const std::string text(sql);
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    const std::string message = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw DatabaseError(fmt::format("{}: {}", file_, message));
  }
}

int Database::schema_version() {
  auto stmt = prepare("PRAGMA user_version");
  stmt.step();
  return static_cast<int>(stmt.integer(0));
}

void Database::transaction(const std::function<void()>& work) {
  if (sqlite3_get_autocommit(db_) == 0) {  // part of the transaction already open
    work();
    return;
  }
  exec("BEGIN IMMEDIATE");
  try {
    work();
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace doorbell::storage
