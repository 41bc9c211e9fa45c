#pragma once
// RuleBook: the household's notification rules (storage/notify_rule_store.hpp) as the policy and the API
// use them, read from the records each time (a person removed takes their rule along). When the records
// cannot be read (a shared database away), a ring is planned with the rules read last (none, for a door
// started during the outage). Thread-safe.

#include <spdlog/spdlog.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "doorbell/storage/notify_rule_store.hpp"

namespace doorbell::notify {

class RuleBook {
 public:
  explicit RuleBook(const storage::Location& where) : store_(where) {
    try {
      last_ = store_.list();
    } catch (const storage::DatabaseError& e) {  // a door started while the shared database is away
      spdlog::warn("notification rules: none until the records can be read: {}", e.what());
    }
  }

  std::map<std::string, storage::NotifyRule> by_subject() {
    std::vector<storage::NotifyRule> rules;
    try {
      rules = list();
    } catch (const storage::DatabaseError& e) {
      spdlog::warn("notification rules: using those read last: {}", e.what());
      std::lock_guard lock(mutex_);
      rules = last_;
    }
    std::map<std::string, storage::NotifyRule> out;
    for (auto& rule : rules) out.emplace(rule.subject, std::move(rule));
    return out;
  }
  std::vector<storage::NotifyRule> list() {
    std::lock_guard lock(mutex_);
    last_ = store_.list();
    return last_;
  }
  void put(const storage::NotifyRule& rule) {
    std::lock_guard lock(mutex_);
    store_.put(rule);
    last_ = store_.list();
  }
  bool remove(const std::string& subject) {
    std::lock_guard lock(mutex_);
    const bool removed = store_.remove(subject);
    last_ = store_.list();
    return removed;
  }

 private:
  std::mutex mutex_;
  storage::NotifyRuleStore store_;         // guarded by mutex_
  std::vector<storage::NotifyRule> last_;  // guarded by mutex_
};

}  // namespace doorbell::notify
