#include "doorbell/storage/database_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <memory>

#include "doorbell/model/time_text.hpp"
#include "doorbell/storage/database.hpp"
#include "doorbell/storage/schema.hpp"

namespace doorbell::storage {
namespace {

using Connection = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;

Connection open(const std::filesystem::path& file, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
  Connection connection(db, &sqlite3_close);
  if (rc != SQLITE_OK) {
    throw DatabaseError(fmt::format("cannot open \"{}\": {}", file.string(),
                                    db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(db, 5000);
  return connection;
}

// Copies every page of `from` into `to` in one step: one read transaction, so a consistent picture even
// while another connection writes.
void copy_pages(sqlite3* from, sqlite3* to, const std::filesystem::path& destination) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) {
    throw DatabaseError(fmt::format("cannot copy into \"{}\": {}", destination.string(), sqlite3_errmsg(to)));
  }
  const int step = sqlite3_backup_step(backup, -1);
  const int finish = sqlite3_backup_finish(backup);
  if (step != SQLITE_DONE || finish != SQLITE_OK) {
    throw DatabaseError(fmt::format("cannot copy into \"{}\": {}", destination.string(),
                                    sqlite3_errstr(step != SQLITE_DONE ? step : finish)));
  }
}

// Writes a copy of the database `from` to `destination` through a temporary file next to it, synced
// and renamed into place: a destination is either the old file or the whole copy.
void write_copy(sqlite3* from, const std::filesystem::path& destination) {
  const auto temporary = destination.string() + ".partial";
  std::filesystem::remove(temporary);
  try {
    {
      auto to = open(temporary, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      copy_pages(from, to.get(), destination);
      // One self-contained file: no write-ahead log beside it when it is opened, even read-only.
      if (sqlite3_exec(to.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) != SQLITE_OK) {
        throw DatabaseError(
            fmt::format("cannot finish \"{}\": {}", destination.string(), sqlite3_errmsg(to.get())));
      }
    }
    if (const int fd = ::open(temporary.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
    std::filesystem::rename(temporary, destination);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
}

int user_version(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  int version = -1;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    version = sqlite3_column_int(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return version;
}

// How many files are below `folder` (0 when it does not exist).
std::size_t files_below(const std::filesystem::path& folder) {
  std::error_code error;
  std::size_t n = 0;
  for (std::filesystem::recursive_directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_regular_file(error)) ++n;
  }
  return n;
}

constexpr std::string_view kRestoreAdvice =
    "stop doorbelld and restore a backup with `doorbelld restore FILE`";

}  // namespace

std::filesystem::path database_file(const std::filesystem::path& data_dir) {
  return data_dir / "doorbelld.db";
}

std::vector<std::string> integrity_problems(const std::filesystem::path& file, bool quick) {
  std::vector<std::string> problems;
  try {
    auto db = open(file, SQLITE_OPEN_READONLY);
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db.get(), quick ? "PRAGMA quick_check" : "PRAGMA integrity_check", -1, &stmt,
                                nullptr);
    while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      const std::string line = text != nullptr ? text : "";
      if (line != "ok") problems.push_back(line);
      rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE) problems.emplace_back(sqlite3_errmsg(db.get()));
    sqlite3_finalize(stmt);
  } catch (const DatabaseError& e) {
    problems.emplace_back(e.what());
  }
  return problems;
}

void backup_database(const std::filesystem::path& file, const std::filesystem::path& destination) {
  if (!std::filesystem::exists(file)) {
    throw DatabaseError(fmt::format("there is no database at \"{}\"", file.string()));
  }
  auto from = open(file, SQLITE_OPEN_READONLY);
  write_copy(from.get(), destination);
  if (const auto problems = integrity_problems(destination, true); !problems.empty()) {
    throw DatabaseError(
        fmt::format("the copy \"{}\" fails its check ({}): is \"{}\" damaged? `doorbelld db "
                    "check` says",
                    destination.string(), problems.front(), file.string()));
  }
}

std::filesystem::path restore_database(const std::filesystem::path& backup,
                                       const std::filesystem::path& file) {
  if (const auto problems = integrity_problems(backup, false); !problems.empty()) {
    throw DatabaseError(
        fmt::format("\"{}\" is not a sound doorbelld database: {}", backup.string(), problems.front()));
  }
  auto from = open(backup, SQLITE_OPEN_READONLY);
  const int version = user_version(from.get());
  const auto known = static_cast<int>(schema_migrations().size());
  if (version < 1 || version > known) {
    throw DatabaseError(fmt::format("\"{}\" has schema version {}; this doorbelld knows 1 to {}",
                                    backup.string(), version, known));
  }
  std::filesystem::path kept;
  if (std::filesystem::exists(file)) {
    const auto stamp = model::iso_time(std::chrono::system_clock::now());
    kept = file.string() + ".before-restore-" + stamp;
    for (const std::string suffix : {"-wal", "-shm"}) {  // the log belongs to the old file, not the new
      if (std::filesystem::exists(file.string() + suffix))
        std::filesystem::rename(file.string() + suffix, kept.string() + suffix);
    }
    std::filesystem::rename(file, kept);
  }
  write_copy(from.get(), file);
  return kept;
}

void check_database_at_start(const std::filesystem::path& data_dir) {
  const auto file = database_file(data_dir);
  std::error_code error;
  const auto size = std::filesystem::file_size(file, error);
  if (error || size == 0) {
    if (const auto faces = files_below(data_dir / "faces"); faces > 0) {
      throw DatabaseError(fmt::format(
          "the database \"{}\" is {} but {} holds {} face image(s) of an earlier one: {} (or move faces/ and "
          "events/ away to start afresh)",
          file.string(), error ? "missing" : "empty", (data_dir / "faces").string(), faces, kRestoreAdvice));
    }
    return;  // a new installation
  }
  if (const auto problems = integrity_problems(file, true); !problems.empty()) {
    throw DatabaseError(
        fmt::format("the database \"{}\" is damaged ({}): {}; `doorbelld db check` lists "
                    "every problem",
                    file.string(), problems.front(), kRestoreAdvice));
  }
}

}  // namespace doorbell::storage
