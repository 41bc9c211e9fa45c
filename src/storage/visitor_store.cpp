#include "doorbell/storage/visitor_store.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "doorbell/model/event_kind.hpp"
#include "doorbell/model/time_text.hpp"
#include "doorbell/storage/descriptor_blob.hpp"
#include "doorbell/storage/face_outcome_json.hpp"

namespace doorbell::storage {
namespace {

constexpr std::string_view kFaceColumns =
    "f.id, coalesce(f.event_id, 0), f.position, coalesce(e.time, ''), f.descriptor, f.sharpness, f.width_px, "
    "coalesce(f.person_id, 0), coalesce(f.visitor_id, 0) FROM event_faces f LEFT JOIN events e ON e.id = "
    "f.event_id";

// A cluster's summary; its picture is its face with the most pixels among the sharp enough ones.
constexpr std::string_view kSummary =
    "SELECT v.id, v.ignored, count(DISTINCT f.event_id), count(f.id), coalesce(min(e.time), ''), "
    "coalesce(max(e.time), ''), coalesce((SELECT id FROM event_faces WHERE visitor_id = v.id ORDER BY CASE "
    "WHEN sharpness < 200 THEN sharpness ELSE 200 END * width_px DESC LIMIT 1), 0) FROM visitors v LEFT "
    "JOIN event_faces f ON f.visitor_id = v.id LEFT JOIN events e ON e.id = f.event_id";

SeenFace read_face(const Statement& s) {
  SeenFace f;
  f.id = s.integer(0);
  f.event_id = s.integer(1);
  f.position = static_cast<int>(s.integer(2));
  f.time = s.text(3);
  std::vector<model::Descriptor> d;
  read_descriptor(s.blob(4), d);
  if (!d.empty()) f.descriptor = d.front();
  f.sharpness = s.real(5);
  f.width_px = s.real(6);
  f.person_id = s.integer(7);
  f.visitor_id = s.integer(8);
  return f;
}

VisitorSummary read_summary(const Statement& s) {
  return {s.integer(0), s.integer(1) != 0, s.integer(2), s.integer(3), s.text(4), s.text(5), s.integer(6)};
}

}  // namespace

VisitorStore::VisitorStore(const Location& where) : db_(open_records(where)) {}

std::vector<model::Visitor> VisitorStore::clusters() {
  std::vector<model::Visitor> out;
  // One pass over the faces; each cluster's visits (its faces' distinct events) are counted here.
  auto stmt = db_.prepare(
      "SELECT v.id, v.ignored, v.separate, f.event_id, f.descriptor "
      "FROM visitors v LEFT JOIN event_faces f ON f.visitor_id = v.id ORDER BY v.id, f.event_id, f.id");
  std::int64_t last_event = 0;  // of the cluster read last; the rows come in the order of their events
  while (stmt.step()) {
    if (out.empty() || out.back().id != stmt.integer(0)) {
      out.push_back({stmt.integer(0), stmt.integer(1) != 0, stmt.integer(2) != 0, 0, {}});
      last_event = 0;
    }
    const auto event = stmt.integer(3);  // 0: no face, or an event retention deleted
    if (event != 0 && event != last_event) ++out.back().seen;
    last_event = event;
    read_descriptor(stmt.blob(4), out.back().faces);
  }
  return out;
}

std::int64_t VisitorStore::create_cluster() {
  return db_.prepare("INSERT INTO visitors DEFAULT VALUES RETURNING id").returning_id();
}

std::vector<VisitorSummary> VisitorStore::list(const VisitorQuery& q) {
  auto stmt =
      db_.prepare(fmt::format("{} GROUP BY v.id HAVING count(f.id) > 0 AND (? = '' OR max(e.time) >= ?) AND "
                              "(? = '' OR min(e.time) < ?) AND (? < 0 OR "
                              "v.ignored = ?) ORDER BY max(f.event_id) DESC, v.id DESC LIMIT ?",
                              kSummary));
  const std::int64_t ignored = q.ignored ? static_cast<std::int64_t>(*q.ignored) : -1;
  stmt.bind(1, q.since.value_or(""))
      .bind(2, q.since.value_or(""))
      .bind(3, q.until.value_or(""))
      .bind(4, q.until.value_or(""))
      .bind(5, ignored)
      .bind(6, ignored)
      .bind(7, static_cast<std::int64_t>(q.limit));
  std::vector<VisitorSummary> out;
  while (stmt.step()) out.push_back(read_summary(stmt));
  return out;
}

std::optional<VisitorSummary> VisitorStore::get(std::int64_t visitor_id) {
  auto stmt = db_.prepare(fmt::format("{} WHERE v.id = ? GROUP BY v.id", kSummary));
  stmt.bind(1, visitor_id);
  if (!stmt.step()) return std::nullopt;
  return read_summary(stmt);
}

std::vector<SeenFace> VisitorStore::faces_of(std::int64_t visitor_id) {
  auto stmt = db_.prepare(
      fmt::format("SELECT {} WHERE f.visitor_id = ? ORDER BY f.event_id DESC, f.id DESC", kFaceColumns));
  stmt.bind(1, visitor_id);
  std::vector<SeenFace> out;
  while (stmt.step()) out.push_back(read_face(stmt));
  return out;
}

std::optional<SeenFace> VisitorStore::face(std::int64_t face_id) {
  auto stmt = db_.prepare(fmt::format("SELECT {} WHERE f.id = ?", kFaceColumns));
  stmt.bind(1, face_id);
  if (!stmt.step()) return std::nullopt;
  return read_face(stmt);
}

std::optional<SeenFace> VisitorStore::face_at(std::int64_t event_id, int position) {
  auto stmt = db_.prepare(fmt::format("SELECT {} WHERE f.event_id = ? AND f.position = ?", kFaceColumns));
  stmt.bind(1, event_id).bind(2, static_cast<std::int64_t>(position));
  if (!stmt.step()) return std::nullopt;
  return read_face(stmt);
}

std::vector<SeenFace> VisitorStore::faces_of_event(std::int64_t event_id) {
  auto stmt = db_.prepare(fmt::format("SELECT {} WHERE f.event_id = ? ORDER BY f.position", kFaceColumns));
  stmt.bind(1, event_id);
  std::vector<SeenFace> out;
  while (stmt.step()) out.push_back(read_face(stmt));
  return out;
}

std::optional<std::vector<std::uint8_t>> VisitorStore::crop(std::int64_t face_id) {
  auto stmt = db_.prepare("SELECT crop FROM event_faces WHERE id = ?");
  stmt.bind(1, face_id);
  if (!stmt.step()) return std::nullopt;
  const auto blob = stmt.blob(0);
  return std::vector<std::uint8_t>(blob.begin(), blob.end());
}

bool VisitorStore::set_ignored(std::int64_t visitor_id, bool ignored) {
  db_.prepare("UPDATE visitors SET ignored = ? WHERE id = ?")
      .bind(1, static_cast<std::int64_t>(ignored))
      .bind(2, visitor_id)
      .run();
  return db_.changes() > 0;
}

bool VisitorStore::merge(std::int64_t into, std::int64_t from) {
  if (into == from || !get(into) || !get(from)) return false;
  std::vector<std::int64_t> ids;
  for (const auto& f : faces_of(from)) ids.push_back(f.id);
  db_.transaction([&] {
    move_faces(ids, into);
    db_.prepare("DELETE FROM visitors WHERE id = ?").bind(1, from).run();
  });
  return true;
}

std::int64_t VisitorStore::move_faces(const std::vector<std::int64_t>& face_ids, std::int64_t visitor_id,
                                      bool separate) {
  db_.transaction([&] {
    if (visitor_id == 0) {
      visitor_id = create_cluster();
      db_.prepare("UPDATE visitors SET separate = ? WHERE id = ?")
          .bind(1, static_cast<std::int64_t>(separate))
          .bind(2, visitor_id)
          .run();
    }
    for (const auto id : face_ids) {
      auto f = face(id);
      if (!f) continue;
      db_.prepare("UPDATE event_faces SET visitor_id = ?, person_id = NULL WHERE id = ?")
          .bind(1, visitor_id)
          .bind(2, id)
          .run();
      f->visitor_id = visitor_id;
      relabel(*f, nullptr);
    }
    drop_empty_clusters(db_);
  });
  return visitor_id;
}

bool VisitorStore::remove(std::int64_t visitor_id) {
  bool found = false;
  db_.transaction([&] {
    for (auto& f : faces_of(visitor_id)) {
      f.visitor_id = 0;
      relabel(f, nullptr);
    }
    db_.prepare("DELETE FROM event_faces WHERE visitor_id = ?").bind(1, visitor_id).run();
    db_.prepare("DELETE FROM visitors WHERE id = ?").bind(1, visitor_id).run();
    found = db_.changes() > 0;
  });
  return found;
}

void VisitorStore::name_faces(const std::vector<std::int64_t>& face_ids, const model::Person& person) {
  db_.transaction([&] {
    for (const auto id : face_ids) {
      auto f = face(id);
      if (!f) continue;
      db_.prepare("UPDATE event_faces SET person_id = ?, visitor_id = NULL WHERE id = ?")
          .bind(1, person.id)
          .bind(2, id)
          .run();
      relabel(*f, &person);
    }
    drop_empty_clusters(db_);
  });
}

void VisitorStore::reject(std::int64_t face_id, std::int64_t person_id, std::int64_t visitor_id) {
  db_.transaction([&] {
    const auto f = face(face_id);
    if (!f) return;
    db_.prepare("INSERT INTO face_negatives (person_id, descriptor) VALUES (?, ?)")
        .bind(1, person_id)
        .bind(2, descriptor_bytes(f->descriptor))
        .run();
    move_faces({face_id}, visitor_id);
  });
}

std::int64_t VisitorStore::expire(const std::string& before) {
  std::int64_t expired = 0;
  db_.transaction([&] {
    auto old = db_.prepare(
        "SELECT v.id FROM visitors v WHERE v.ignored = 0 AND NOT EXISTS (SELECT 1 FROM event_faces f JOIN "
        "events e ON e.id = f.event_id WHERE f.visitor_id = v.id AND e.time >= ?)");
    old.bind(1, before);
    std::vector<std::int64_t> ids;
    while (old.step()) ids.push_back(old.integer(0));
    for (const auto id : ids) expired += remove(id) ? 1 : 0;
  });
  return expired;
}

void VisitorStore::relabel(const SeenFace& f, const model::Person* person) {
  if (f.event_id == 0) return;
  auto row = db_.prepare("SELECT faces, kind FROM events WHERE id = ?");
  row.bind(1, f.event_id);
  if (!row.step()) return;
  auto faces = faces_from_json(nlohmann::json::parse(row.text(0)));
  if (f.position < 0 || static_cast<std::size_t>(f.position) >= faces.size()) return;
  auto& face = faces[static_cast<std::size_t>(f.position)];
  face.name.clear();
  face.visitor.reset();
  face.corrected = true;
  if (person != nullptr) {
    face.verdict =
        person->kind == model::PersonKind::blacklist ? model::Verdict::blacklisted : model::Verdict::known;
    face.name = person->name;
  } else {
    face.verdict = model::Verdict::unknown;
    if (f.visitor_id != 0) {
      auto ignored = db_.prepare("SELECT ignored FROM visitors WHERE id = ?");
      ignored.bind(1, f.visitor_id);
      face.visitor = model::Sighting{f.visitor_id, 0, ignored.step() && ignored.integer(0) != 0};
    }
  }
  std::vector<std::string> names;
  for (const auto& each : faces) {
    if (!each.name.empty()) names.push_back(each.name);
  }
  db_.prepare("UPDATE events SET faces = ?, names = ?, kind = ? WHERE id = ?")
      .bind(1, faces_json(faces).dump())
      .bind(2, nlohmann::json(names).dump())
      .bind(3, model::to_string(model::kind_of(faces)))
      .bind(4, f.event_id)
      .run();
}

void drop_empty_clusters(Database& db) {
  // A cluster made in the last hour may be waiting for the face of a ring that is being stored.
  db.prepare(
        "DELETE FROM visitors WHERE ignored = 0 AND created_at < ? AND NOT EXISTS (SELECT 1 FROM event_faces "
        "WHERE visitor_id = visitors.id)")
      .bind(1, model::iso_time(std::chrono::system_clock::now() - std::chrono::hours(1)))
      .run();
}

}  // namespace doorbell::storage
