#pragma once
// AuditStore: the audit trail in the household's records (SQLite or PostgreSQL) — who (a user, a token, the
// command line, the daemon itself; from which address) did what (logins, users, people and their samples,
// visitors, corrections, rules, backups, reloads) to which object (its id and its name at the time), when,
// at which door. Appended and pruned by age; never changed (the table refuses updates). Holds no secret and
// no face. Owns a database connection: not thread-safe; open one per thread (AuditTrail serialises).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "doorbell/storage/database.hpp"
#include "doorbell/storage/location.hpp"

namespace doorbell::storage {

struct AuditActor {
  std::string name{};     // "dana", "admin token", "cli:root", "doorbelld"
  std::string kind{};     // "session", "token", "cli", "system" or "anonymous"
  std::string address{};  // the client's IP address; empty for cli and system
};

// Every member has a default, so an entry can be written with designated initializers naming only
// what it says.
struct AuditEntry {
  std::int64_t id = 0;
  std::string time{};  // ISO 8601, UTC; set when appended
  std::string door{};  // door.id of the door that recorded it
  AuditActor actor{};
  std::string action{};       // "person.renamed": an object type and what happened to it
  std::string object_type{};  // what object_id names: "person", "visitor", "face", "user", "rule",
                              // "database", "config"
  std::string object_id{};
  std::string object_name{};  // as it was named then
  std::string detail{};       // a few words more ("known → blacklist"); never a secret
};

struct AuditQuery {
  int limit = 50;
  std::optional<std::int64_t> before_id;   // paging: entries older than this id
  std::optional<std::string> since;        // ISO 8601, inclusive
  std::optional<std::string> until;        // ISO 8601, exclusive
  std::optional<std::string> action;       // "person.renamed", or every "person.…" action: "person"
  std::optional<std::string> actor;        // exactly this actor name
  std::optional<std::string> object_type;  // with object_id: one object's history
  std::optional<std::string> object_id;
};

class AuditStore {
 public:
  explicit AuditStore(const Location& where);

  // Appends `entry` (its id and time are set here) and returns its id.
  std::int64_t append(const AuditEntry& entry);
  // Newest first.
  std::vector<AuditEntry> list(const AuditQuery& query);
  // Deletes the entries older than `before` (ISO 8601); returns how many.
  std::int64_t prune(const std::string& before);

 private:
  Database db_;
};

}  // namespace doorbell::storage
