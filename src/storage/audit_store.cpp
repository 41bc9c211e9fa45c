#include "doorbell/storage/audit_store.hpp"

#include <chrono>

#include "doorbell/model/time_text.hpp"

namespace doorbell::storage {

AuditStore::AuditStore(const Location& where) : db_(open_records(where)) {}

std::int64_t AuditStore::append(const AuditEntry& e) {
  return db_
      .prepare(
          "INSERT INTO audit (time, door, actor, actor_kind, address, action, object_type, object_id, "
          "object_name, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
      .bind(1, model::iso_time(std::chrono::system_clock::now()))
      .bind(2, e.door)
      .bind(3, e.actor.name)
      .bind(4, e.actor.kind)
      .bind(5, e.actor.address)
      .bind(6, e.action)
      .bind(7, e.object_type)
      .bind(8, e.object_id)
      .bind(9, e.object_name)
      .bind(10, e.detail)
      .returning_id();
}

std::vector<AuditEntry> AuditStore::list(const AuditQuery& q) {
  std::string sql =
      "SELECT id, time, door, actor, actor_kind, address, action, object_type, object_id, object_name, "
      "detail "
      "FROM audit WHERE 1 = 1";
  std::vector<std::string> texts;
  if (q.before_id) sql += " AND id < " + std::to_string(*q.before_id);
  const auto filter = [&](const std::optional<std::string>& value, const char* condition) {
    if (!value) return;
    sql += condition;
    texts.push_back(*value);
  };
  filter(q.since, " AND time >= ?");
  filter(q.until, " AND time < ?");
  if (q.action && q.action->find('.') == std::string::npos) {  // "sample": sample.added, sample.removed
    filter(std::optional(*q.action + ".%"), " AND action LIKE ?");
  } else {
    filter(q.action, " AND action = ?");
  }
  filter(q.actor, " AND actor = ?");
  filter(q.object_type, " AND object_type = ?");
  filter(q.object_id, " AND object_id = ?");
  sql += " ORDER BY id DESC LIMIT " + std::to_string(q.limit);
  auto stmt = db_.prepare(sql);
  for (std::size_t i = 0; i < texts.size(); ++i) stmt.bind(static_cast<int>(i) + 1, texts[i]);
  std::vector<AuditEntry> out;
  while (stmt.step()) {
    out.push_back({stmt.integer(0),
                   stmt.text(1),
                   stmt.text(2),
                   {stmt.text(3), stmt.text(4), stmt.text(5)},
                   stmt.text(6),
                   stmt.text(7),
                   stmt.text(8),
                   stmt.text(9),
                   stmt.text(10)});
  }
  return out;
}

std::int64_t AuditStore::prune(const std::string& before) {
  db_.prepare("DELETE FROM audit WHERE time < ?").bind(1, before).run();
  return db_.changes();
}

}  // namespace doorbell::storage
