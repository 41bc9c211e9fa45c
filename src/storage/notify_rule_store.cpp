#include "doorbell/storage/notify_rule_store.hpp"

#include <nlohmann/json.hpp>

namespace doorbell::storage {

NotifyRuleStore::NotifyRuleStore(const Location& where) : db_(open_records(where)) {}

std::vector<NotifyRule> NotifyRuleStore::list() {
  std::vector<NotifyRule> out;
  auto stmt =
      db_.prepare("SELECT subject, channels, quiet_hours, snooze_until FROM notify_rules ORDER BY subject");
  while (stmt.step()) {
    const auto channels = nlohmann::json::parse(stmt.text(1), nullptr, false);
    out.push_back(
        {stmt.text(0),
         channels.is_array() ? channels.get<std::vector<std::string>>() : std::vector<std::string>{},
         stmt.text(2), stmt.text(3)});
  }
  return out;
}

void NotifyRuleStore::put(const NotifyRule& rule) {
  // A person's rule names them by id: the row goes with them.
  const auto person = rule.subject.rfind("person-", 0) == 0 ? std::stoll(rule.subject.substr(7)) : 0;
  db_.prepare(
         "INSERT INTO notify_rules (subject, person_id, channels, quiet_hours, snooze_until) VALUES (?, "
         "(SELECT "
         "id FROM people WHERE id = ?), ?, ?, ?) ON CONFLICT (subject) DO UPDATE SET person_id = "
         "excluded.person_id, channels = excluded.channels, quiet_hours = excluded.quiet_hours, snooze_until "
         "= "
         "excluded.snooze_until")
      .bind(1, rule.subject)
      .bind(2, static_cast<std::int64_t>(person))
      .bind(3, nlohmann::json(rule.channels).dump())
      .bind(4, rule.quiet_hours)
      .bind(5, rule.snooze_until)
      .run();
}

bool NotifyRuleStore::remove(const std::string& subject) {
  db_.prepare("DELETE FROM notify_rules WHERE subject = ?").bind(1, subject).run();
  return db_.changes() > 0;
}

}  // namespace doorbell::storage
