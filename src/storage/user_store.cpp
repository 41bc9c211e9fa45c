#include "doorbell/storage/user_store.hpp"

#include <fmt/format.h>

#include "doorbell/storage/database_file.hpp"
#include "doorbell/storage/schema.hpp"

namespace doorbell::storage {
UserStore::UserStore(const std::filesystem::path& data_dir)
    : db_((std::filesystem::create_directories(data_dir), database_file(data_dir)), schema_migrations()) {}

UserRecord UserStore::add(const std::string& name, const std::string& role,
                          const std::string& password_hash) {
  if (find(name))
    throw UserError(UserError::Code::name_taken, fmt::format("user \"{}\" already exists", name));
  db_.prepare("INSERT INTO users (name, role, password) VALUES (?, ?, ?)")
      .bind(1, name)
      .bind(2, role)
      .bind(3, password_hash)
      .run();
  return *find(name);
}

void UserStore::set_password(const std::string& name, const std::string& password_hash) {
  db_.transaction([&] {
    db_.prepare("UPDATE users SET password = ? WHERE name = ?").bind(1, password_hash).bind(2, name).run();
    if (db_.changes() == 0)
      throw UserError(UserError::Code::unknown_user, fmt::format("no user \"{}\"", name));
    db_.prepare("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)")
        .bind(1, name)
        .run();
  });
}

void UserStore::set_role(const std::string& name, const std::string& role) {
  db_.transaction([&] {
    db_.prepare("UPDATE users SET role = ? WHERE name = ?").bind(1, role).bind(2, name).run();
    if (db_.changes() == 0)
      throw UserError(UserError::Code::unknown_user, fmt::format("no user \"{}\"", name));
    db_.prepare("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)")
        .bind(1, name)
        .run();
  });
}

bool UserStore::remove(const std::string& name) {
  db_.prepare("DELETE FROM users WHERE name = ?").bind(1, name).run();  // sessions by ON DELETE CASCADE
  return db_.changes() > 0;
}

std::optional<UserRecord> UserStore::find(const std::string& name) {
  auto stmt = db_.prepare("SELECT id, name, role, password, created_at FROM users WHERE name = ?");
  stmt.bind(1, name);
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
