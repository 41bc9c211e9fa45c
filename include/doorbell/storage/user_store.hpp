#pragma once
// UserStore: the web app's logins (name, role, scrypt hash) and their sessions (stored by the SHA-256 of
// the session id, never the id) in SQLite. Removing a user or changing a password ends their sessions.
// Owns a database connection: not thread-safe; open one per thread or serialise.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "doorbell/storage/database.hpp"

namespace doorbell::storage {

class UserError : public std::runtime_error {
 public:
  enum class Code { name_taken, unknown_user };
  UserError(Code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Code code() const noexcept { return code_; }

 private:
  Code code_;
};

struct UserRecord {
  std::int64_t id = 0;
  std::string name;
  std::string role;           // "viewer" or "admin"
  std::string password_hash;  // "$scrypt$..."
  std::string created_at;
};

struct SessionRecord {
  std::string token_hash;  // SHA-256 hex of the session id
  std::int64_t user_id = 0;
  std::string user;  // filled when read
  std::string role;  // filled when read
  std::string csrf_token;
  std::string created_at;
  std::string expires_at;
  std::string address;  // client address at login
};

class UserStore {
 public:
  explicit UserStore(const std::filesystem::path& data_dir);

  // Names are found by their key (name_key: "JOSÉ" finds "José"). `name` must already be normalised.
  // Throws UserError(name_taken).
  UserRecord add(const std::string& name, const std::string& role, const std::string& password_hash);
  // Throws UserError(unknown_user). Ends the user's sessions.
  void set_password(const std::string& name, const std::string& password_hash);
  void set_role(const std::string& name, const std::string& role);
  // False when there was no such user. Ends the user's sessions.
  bool remove(const std::string& name);
  std::optional<UserRecord> find(const std::string& name);
  std::vector<UserRecord> list();  // without hashes

  void add_session(const SessionRecord& session);
  void remove_session(const std::string& token_hash);
  // Every session whose expires_at is after `now_iso`; older ones are deleted.
  std::vector<SessionRecord> live_sessions(const std::string& now_iso);
  // Changes when another connection (the CLI, another daemon) commits to the database.
  std::int64_t data_version();

 private:
  void fill_name_keys();
  std::optional<UserRecord> find_as_written(const std::string& name);
  std::optional<UserRecord> first_user(std::string_view sql, const std::string& value);
  // Runs `update` (its ? parameters: `value`, then the user's id) and ends the user's sessions.
  void change(const std::string& name, std::string_view update, const std::string& value);

  Database db_;
};

}  // namespace doorbell::storage
