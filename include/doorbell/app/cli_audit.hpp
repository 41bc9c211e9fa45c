#pragma once
// CliAudit: what a command-line tool (faces, user, db) changed, in the household's audit trail, by
// "cli:<user>" — the user who ran it, and under sudo who asked — taken when it is made, before the tool
// acts as the data directory's owner. Used by one thread.

#include <string>

#include "doorbell/config/config.hpp"
#include "doorbell/storage/audit_store.hpp"
#include "doorbell/storage/location.hpp"

namespace doorbell {

class CliAudit {
 public:
  explicit CliAudit(const Config& config);

  // Never throws: an entry that cannot be written is said on standard error, with what it was.
  void record(const std::string& action, const std::string& object_type, const std::string& object_id,
              const std::string& object_name, const std::string& detail = {}) const;

 private:
  storage::Location where_;
  std::string door_;
  storage::AuditActor actor_;
};

}  // namespace doorbell
