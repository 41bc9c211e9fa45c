#pragma once
// RuleBook: the household's notification rules (storage/notify_rule_store.hpp) as the policy and the API
// use them, read from SQLite each time (a person removed takes their rule along). Thread-safe.

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "doorbell/storage/notify_rule_store.hpp"

namespace doorbell::notify {

class RuleBook {
 public:
  explicit RuleBook(const storage::Location& where) : store_(where) {}

  std::map<std::string, storage::NotifyRule> by_subject() {
    std::map<std::string, storage::NotifyRule> out;
    for (auto& rule : list()) out.emplace(rule.subject, std::move(rule));
    return out;
  }
  std::vector<storage::NotifyRule> list() {
    std::lock_guard lock(mutex_);
    return store_.list();
  }
  void put(const storage::NotifyRule& rule) {
    std::lock_guard lock(mutex_);
    store_.put(rule);
  }
  bool remove(const std::string& subject) {
    std::lock_guard lock(mutex_);
    return store_.remove(subject);
  }

 private:
  std::mutex mutex_;
  storage::NotifyRuleStore store_;  // guarded by mutex_
};

}  // namespace doorbell::notify
