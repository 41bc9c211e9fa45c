#include "doorbell/storage/user_store.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <utility>
#include <vector>

#include "doorbell/common/names.hpp"
#include "doorbell/storage/database_file.hpp"
#include "doorbell/storage/schema.hpp"

namespace doorbell::storage {
UserStore::UserStore(const std::filesystem::path& data_dir)
    : db_((std::filesystem::create_directories(data_dir), database_file(data_dir)), schema_migrations()) {
  fill_name_keys();
}

// Users from before migration 17 get their name's key. Two whose names differ only in case beyond
// ASCII ("José", "JOSÉ") cannot both have it: the later one keeps none, cannot log in until renamed
// (removed and added again), and is named in the log.
void UserStore::fill_name_keys() {
  std::vector<std::pair<std::int64_t, std::string>> missing;
  auto stmt = db_.prepare("SELECT id, name FROM users WHERE name_key IS NULL ORDER BY id");
  while (stmt.step()) missing.emplace_back(stmt.integer(0), stmt.text(1));
  for (const auto& [id, name] : missing) {
    const auto key = name_key(name);
    auto taken = db_.prepare("SELECT name FROM users WHERE name_key = ?");
    taken.bind(1, key);
    if (taken.step()) {
      spdlog::warn(
          "user \"{}\" is the same name as user \"{}\" when case is ignored: it cannot log in; "
          "remove it with `doorbelld user remove` and add it under another name",
          name, taken.text(0));
      continue;
    }
    db_.prepare("UPDATE users SET name_key = ? WHERE id = ?").bind(1, key).bind(2, id).run();
  }
}

UserRecord UserStore::add(const std::string& name, const std::string& role,
                          const std::string& password_hash) {
  if (const auto existing = find(name)) {
    throw UserError(UserError::Code::name_taken,
                    existing->name == name
                        ? fmt::format("user \"{}\" already exists", name)
                        : fmt::format("user \"{}\" already exists as \"{}\"", name, existing->name));
  }
  db_.prepare("INSERT INTO users (name, name_key, role, password) VALUES (?, ?, ?, ?)")
      .bind(1, name)
      .bind(2, name_key(name))
      .bind(3, role)
      .bind(4, password_hash)
      .run();
  return *find(name);
}

void UserStore::set_password(const std::string& name, const std::string& password_hash) {
  change(name, "UPDATE users SET password = ? WHERE id = ?", password_hash);
}

void UserStore::set_role(const std::string& name, const std::string& role) {
  change(name, "UPDATE users SET role = ? WHERE id = ?", role);
}

void UserStore::change(const std::string& name, std::string_view update, const std::string& value) {
  db_.transaction([&] {
    const auto user = find_as_written(name);
    if (!user) throw UserError(UserError::Code::unknown_user, fmt::format("no user \"{}\"", name));
    db_.prepare(update).bind(1, value).bind(2, user->id).run();
    db_.prepare("DELETE FROM sessions WHERE user_id = ?").bind(1, user->id).run();
  });
}

bool UserStore::remove(const std::string& name) {
  const auto user = find_as_written(name);
  if (!user) return false;
  db_.prepare("DELETE FROM users WHERE id = ?").bind(1, user->id).run();  // sessions by ON DELETE CASCADE
  return true;
}

std::optional<UserRecord> UserStore::find(const std::string& name) {
  const auto key = name_key(name);
  if (key.empty()) return std::nullopt;
  return first_user("SELECT id, name, role, password, created_at FROM users WHERE name_key = ?", key);
}

// As written first, so that a user left without a key (fill_name_keys) is the one changed, not the user
// whose name it shares when case is ignored.
std::optional<UserRecord> UserStore::find_as_written(const std::string& name) {
  if (auto user = first_user("SELECT id, name, role, password, created_at FROM users WHERE name = ?", name)) {
    return user;
  }
  return find(name);
}

std::optional<UserRecord> UserStore::first_user(std::string_view sql, const std::string& value) {
  auto stmt = db_.prepare(sql);
  stmt.bind(1, value);
  if (!stmt.step()) return std::nullopt;
  return UserRecord{stmt.integer(0), stmt.text(1), stmt.text(2), stmt.text(3), stmt.text(4)};
}

std::vector<UserRecord> UserStore::list() {
  auto stmt = db_.prepare("SELECT id, name, role, created_at FROM users ORDER BY name");
  std::vector<UserRecord> out;
  while (stmt.step()) out.push_back({stmt.integer(0), stmt.text(1), stmt.text(2), {}, stmt.text(3)});
  return out;
}

void UserStore::add_session(const SessionRecord& s) {
  db_.prepare(
         "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, address) "
         "VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, s.token_hash)
      .bind(2, s.user_id)
      .bind(3, s.csrf_token)
      .bind(4, s.created_at)
      .bind(5, s.expires_at)
      .bind(6, s.address)
      .run();
}

void UserStore::remove_session(const std::string& token_hash) {
  db_.prepare("DELETE FROM sessions WHERE token_hash = ?").bind(1, token_hash).run();
}

std::vector<SessionRecord> UserStore::live_sessions(const std::string& now_iso) {
  db_.prepare("DELETE FROM sessions WHERE expires_at <= ?").bind(1, now_iso).run();
  auto stmt = db_.prepare(
      "SELECT s.token_hash, s.user_id, u.name, u.role, s.csrf_token, s.created_at, s.expires_at, s.address "
      "FROM sessions s JOIN users u ON u.id = s.user_id");
  std::vector<SessionRecord> out;
  while (stmt.step()) {
    out.push_back({stmt.text(0), stmt.integer(1), stmt.text(2), stmt.text(3), stmt.text(4), stmt.text(5),
                   stmt.text(6), stmt.text(7)});
  }
  return out;
}

std::int64_t UserStore::data_version() {
  auto stmt = db_.prepare("PRAGMA data_version");
  stmt.step();
  return stmt.integer(0);
}

}  // namespace doorbell::storage
