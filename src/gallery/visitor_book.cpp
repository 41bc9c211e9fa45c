#include "doorbell/gallery/visitor_book.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "doorbell/model/time_text.hpp"

namespace doorbell::gallery {
namespace {

constexpr std::size_t kUnstoredKept = 512;  // more than storage.spool_events holds by default

}  // namespace

VisitorBook::VisitorBook(const storage::Location& where, const VisitorsConfig& config)
    : config_(config), store_(where), reader_(where) {
  try {
    reload();
  } catch (const storage::DatabaseError& e) {  // a door started while the shared database is away
    spdlog::warn("visitors: the familiar faces are read once the records can be: {}", e.what());
  }
}

decision::Decision VisitorBook::decide(
    const std::function<decision::Decision(const decision::VisitorView&)>& decide) {
  std::lock_guard lock(mutex_);
  if (!loaded_) {
    try {
      reload();
    } catch (const storage::DatabaseError& e) {  // named or told as unknown, as when it cannot be kept
      spdlog::error("visitors: the familiar faces cannot be read yet: {}", e.what());
      return decide({{}, false});
    }
  }
  auto decision = decide({clusters_, true});
  for (auto& person : decision.people) apply(person);
  return decision;
}

void VisitorBook::apply(decision::PersonDecision& person) {
  using Kind = decision::Placement::Kind;
  if (person.placement.kind == Kind::join) {
    person.outcome.visitor = join(person.placement.cluster, person.vote.descriptor);
  } else if (person.placement.kind == Kind::new_visitor) {
    try {
      clusters_.push_back({store_.create_cluster(), false, false, 0, {}});
      person.outcome.visitor = join(clusters_.size() - 1, person.vote.descriptor);
    } catch (const std::exception& e) {
      spdlog::error("visitors: no cluster for an unknown face: {}", e.what());
      person.outcome.visitor.reset();
    }
  }
}

model::Sighting VisitorBook::join(std::size_t cluster, const model::Descriptor& face) {
  auto& c = clusters_[cluster];
  c.faces.push_back(face);
  if (unstored_.size() == kUnstoredKept) unstored_.pop_front();
  unstored_.push_back({c.id, face});
  ++c.seen;
  return {c.id, c.seen, c.ignored};
}

std::vector<storage::VisitorSummary> VisitorBook::list(const storage::VisitorQuery& query) {
  std::lock_guard lock(reader_mutex_);
  return reader_.list(query);
}

std::optional<storage::VisitorSummary> VisitorBook::get(std::int64_t visitor_id) {
  std::lock_guard lock(reader_mutex_);
  return reader_.get(visitor_id);
}

std::vector<storage::SeenFace> VisitorBook::faces_of(std::int64_t visitor_id) {
  std::lock_guard lock(reader_mutex_);
  return reader_.faces_of(visitor_id);
}

std::optional<storage::SeenFace> VisitorBook::face(std::int64_t face_id) {
  std::lock_guard lock(reader_mutex_);
  return reader_.face(face_id);
}

std::optional<storage::SeenFace> VisitorBook::face_at(std::int64_t event_id, int position) {
  std::lock_guard lock(reader_mutex_);
  return reader_.face_at(event_id, position);
}

std::vector<storage::SeenFace> VisitorBook::faces_of_event(std::int64_t event_id) {
  std::lock_guard lock(reader_mutex_);
  return reader_.faces_of_event(event_id);
}

std::optional<std::vector<std::uint8_t>> VisitorBook::crop(std::int64_t face_id) {
  std::lock_guard lock(reader_mutex_);
  return reader_.crop(face_id);
}

bool VisitorBook::set_ignored(std::int64_t visitor_id, bool ignored) {
  std::lock_guard lock(mutex_);
  const bool found = store_.set_ignored(visitor_id, ignored);
  reload();
  return found;
}

bool VisitorBook::merge(std::int64_t into, std::int64_t from) {
  std::lock_guard lock(mutex_);
  const bool merged = store_.merge(into, from);
  reload();
  return merged;
}

std::int64_t VisitorBook::split(const std::vector<std::int64_t>& face_ids) {
  std::lock_guard lock(mutex_);
  const auto id = store_.move_faces(face_ids, 0, true);
  reload();
  return id;
}

bool VisitorBook::remove(std::int64_t visitor_id) {
  std::lock_guard lock(mutex_);
  const bool removed = store_.remove(visitor_id);
  reload();
  return removed;
}

void VisitorBook::name_faces(const std::vector<std::int64_t>& face_ids, const model::Person& person) {
  std::lock_guard lock(mutex_);
  store_.name_faces(face_ids, person);
  reload();
}

void VisitorBook::reject(std::int64_t face_id, const model::Person& person) {
  std::lock_guard lock(mutex_);
  const auto face = store_.face(face_id);
  if (!face) return;
  // It joins the cluster it would join as an unknown face: its nearest within the threshold, else a new one.
  const auto [nearest, d] = model::nearest_visitor(clusters_, face->descriptor);
  const std::int64_t visitor_id =
      nearest < clusters_.size() && d <= config_.threshold ? clusters_[nearest].id : 0;
  store_.reject(face_id, person.id, visitor_id);
  reload();
}

std::int64_t VisitorBook::merge_bridged() {
  // The all-pairs comparison runs on a copy, without the lock that a ring's decide() takes.
  std::vector<model::Visitor> clusters;
  {
    std::lock_guard lock(mutex_);
    clusters = clusters_;
  }
  // Union-find over the clusters that may merge: any two faces within the threshold join their clusters.
  std::vector<std::size_t> root(clusters.size());
  for (std::size_t i = 0; i < root.size(); ++i) root[i] = i;
  const auto find = [&](std::size_t i) {
    while (root[i] != i) i = root[i] = root[root[i]];
    return i;
  };
  const auto mergeable = [&](const model::Visitor& c) { return !c.ignored && !c.separate; };
  for (std::size_t a = 0; a < clusters.size(); ++a) {
    if (!mergeable(clusters[a])) continue;
    for (std::size_t b = a + 1; b < clusters.size(); ++b) {
      if (!mergeable(clusters[b]) || find(a) == find(b)) continue;
      const bool bridged =
          std::any_of(clusters[a].faces.begin(), clusters[a].faces.end(), [&](const auto& x) {
            return std::any_of(clusters[b].faces.begin(), clusters[b].faces.end(),
                               [&](const auto& y) { return model::distance(x, y) <= config_.threshold; });
          });
      if (bridged) {
        const auto ra = find(a), rb = find(b);
        root[std::max(ra, rb)] = std::min(ra, rb);  // the oldest cluster stays
      }
    }
  }
  std::lock_guard lock(mutex_);
  std::int64_t merged = 0;  // a cluster changed meanwhile (deleted, named) is simply not merged
  for (std::size_t i = 0; i < clusters.size(); ++i) {
    const auto into = find(i);  // the oldest of its group: clusters_ is in the order of their ids
    if (into != i && store_.merge(clusters[into].id, clusters[i].id)) ++merged;
  }
  if (merged > 0) {
    spdlog::info("visitors: {} cluster(s) merged into others that later faces showed to be the same person",
                 merged);
    reload();
  }
  return merged;
}

std::int64_t VisitorBook::expire(std::chrono::system_clock::time_point now) {
  const auto before = model::iso_time_before(now, config_.keep_days);
  std::lock_guard lock(mutex_);
  const auto expired = store_.expire(before);
  reload();
  return expired;
}

void VisitorBook::refresh() {
  std::uint64_t reloads = 0;
  {
    std::lock_guard lock(mutex_);
    reloads = local_reloads_;
  }
  std::vector<model::Visitor> clusters;
  {
    std::lock_guard lock(reader_mutex_);
    clusters = reader_.clusters();
  }
  std::lock_guard lock(mutex_);
  if (local_reloads_ != reloads) return;  // a change here read them again meanwhile, after this read began
  take(std::move(clusters));
}

void VisitorBook::reload() {
  take(store_.clusters());
  ++local_reloads_;
}

void VisitorBook::take(std::vector<model::Visitor> clusters) {
  clusters_ = std::move(clusters);
  loaded_ = true;
  keep_unstored();
}

void VisitorBook::keep_unstored() {
  std::erase_if(unstored_, [&](const Sighted& sighted) {
    const auto c = std::lower_bound(clusters_.begin(), clusters_.end(), sighted.cluster,
                                    [](const auto& cluster, std::int64_t id) { return cluster.id < id; });
    if (c == clusters_.end() || c->id != sighted.cluster) return true;  // deleted, merged or named
    if (std::find(c->faces.begin(), c->faces.end(), sighted.face) != c->faces.end()) return true;  // stored
    c->faces.push_back(sighted.face);
    ++c->seen;
    return false;
  });
}

}  // namespace doorbell::gallery
