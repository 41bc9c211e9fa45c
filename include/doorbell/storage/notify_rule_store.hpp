#pragma once
// NotifyRuleStore: the household's notification rules in SQLite, one per subject — a person
// ("person-<id>", deleted with them), strangers ("unknown", ignored visitors included) or the blacklist
// ("blacklisted"): which channels tell them, quiet hours, a snooze. Owns a database connection: not
// thread-safe; open one per thread.

#include <filesystem>
#include <string>
#include <vector>

#include "doorbell/storage/database.hpp"
#include "doorbell/storage/location.hpp"

namespace doorbell::storage {

struct NotifyRule {
  std::string subject;
  std::vector<std::string> channels;  // empty: every channel
  std::string quiet_hours;            // "HH:MM-HH:MM", local time; empty: none
  std::string snooze_until;           // ISO 8601 (UTC); empty: none
};

class NotifyRuleStore {
 public:
  explicit NotifyRuleStore(const Location& where);

  std::vector<NotifyRule> list();
  void put(const NotifyRule& rule);  // adds or replaces the subject's rule
  bool remove(const std::string& subject);

 private:
  Database db_;
};

}  // namespace doorbell::storage
