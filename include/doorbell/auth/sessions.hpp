#pragma once
// Sessions: logins to the web app. Checks a user's password (one scrypt at a time, so logins cannot
// exhaust memory), starts a session with its own CSRF token, answers "whose session is this?" for each
// request from memory, and keeps memory in step with the database, where `doorbelld user` may remove a
// user or change a password while the daemon runs (refresh()). Thread-safe.

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "doorbell/auth/principal.hpp"
#include "doorbell/common/clock.hpp"
#include "doorbell/storage/user_store.hpp"

namespace doorbell::auth {

struct Session {
  std::string user;
  Role role = Role::none;
  std::string csrf_token;
  std::chrono::system_clock::time_point expires;
};

struct NewSession {
  std::string id;  // the cookie's value: known only to the client and this object's caller
  Session session;
};

class Sessions {
 public:
  // Throws storage::DatabaseError when the database cannot be opened.
  // `clock` (its wall time) decides when sessions expire; it must outlive the sessions.
  Sessions(const std::filesystem::path& data_dir, std::chrono::seconds lifetime, const Clock& clock,
           prometheus::Registry& registry);

  // A new session when `user` exists and `password` is theirs; otherwise empty. Takes as long either way.
  std::optional<NewSession> login(std::string_view user, std::string_view password, std::string_view address);
  // The name of the user `name` finds, as it is stored ("JOSÉ" finds "José"); empty when there is none.
  std::optional<std::string> user_named(std::string_view name);
  // The live session with this id.
  std::optional<Session> find(std::string_view id) const;
  void logout(std::string_view id);
  // Re-reads the sessions when another process changed the database; drops expired ones. Call often
  // (the daemon's main loop does, every second).
  void refresh();
  // Whether any login exists (to explain a refusal when no credential is configured at all).
  bool any_user() const noexcept;

  std::chrono::seconds lifetime() const noexcept { return lifetime_; }

 private:
  void reload();  // db_mutex_ held

  const std::chrono::seconds lifetime_;
  const Clock& clock_;
  std::mutex kdf_mutex_;  // one password hash at a time
  std::mutex db_mutex_;
  storage::UserStore store_;        // guarded by db_mutex_
  std::int64_t data_version_ = -1;  // guarded by db_mutex_
  std::atomic<bool> any_user_{false};
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Session> by_hash_;  // guarded by mutex_
  prometheus::Gauge& active_;
};

}  // namespace doorbell::auth
