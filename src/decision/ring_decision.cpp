#include "doorbell/decision/ring_decision.hpp"

namespace doorbell::decision {
namespace {

using model::Verdict;

model::FaceOutcome outcome_of(const FaceVote& vote) {
  model::FaceOutcome o;
  o.verdict = vote.verdict;
  if (vote.person) o.name = vote.person->name;
  o.distance = vote.distance;
  o.votes = vote.votes;
  o.frames = vote.frames;
  o.box = vote.box;
  return o;
}

void join(PersonDecision& p, const VisitorView& view, std::size_t cluster) {
  const auto& c = view.clusters[cluster];
  p.placement = {Placement::Kind::join, cluster};
  p.outcome.visitor = model::Sighting{c.id, c.seen + 1, c.ignored};
}

void place(PersonDecision& p, const VisitorView& view, double threshold) {
  if (!view.known || p.vote.verdict == Verdict::blacklisted) return;
  const auto [nearest, nearest_distance] = model::nearest_visitor(view.clusters, p.vote.descriptor);
  const bool found = nearest < view.clusters.size();
  if (p.vote.verdict == Verdict::known) {
    if (!found || !view.clusters[nearest].ignored || nearest_distance >= p.vote.distance) return;
    p.vote.verdict = p.outcome.verdict = Verdict::unknown;
    p.vote.person.reset();
    p.outcome.name.clear();
    join(p, view, nearest);
    return;
  }
  if (found && nearest_distance <= threshold) {
    join(p, view, nearest);
    return;
  }
  p.placement = {Placement::Kind::new_visitor, 0};
  p.outcome.visitor = model::Sighting{0, 1, false};
}

}  // namespace

PersonDecision decide_person(FaceVote vote, const VisitorView& visitors, double visitor_threshold) {
  PersonDecision p{outcome_of(vote), std::move(vote), {}};
  place(p, visitors, visitor_threshold);
  return p;
}

Decision decide(const Seen& seen, const model::GalleryIndex& gallery, const VisitorView& visitors,
                const Rules& rules) {
  return decide_votes(vote_faces(seen.frames, gallery, rules.match), seen, visitors, rules);
}

Decision decide_votes(std::vector<FaceVote> votes, const Seen& seen, const VisitorView& visitors,
                      const Rules& rules) {
  Decision d;
  if (seen.camera_down) {
    d.kind = model::EventKind::camera_unavailable;
    return d;
  }
  std::vector<model::FaceOutcome> outcomes;
  for (auto& vote : votes) {
    auto& p = d.people.emplace_back(decide_person(std::move(vote), visitors, rules.visitor_threshold));
    outcomes.push_back(p.outcome);
  }
  d.kind = model::kind_of(outcomes);
  if (!d.people.empty()) {
    d.snapshot_frame = d.people.front().vote.best_frame;
  } else if (!seen.frames.empty()) {
    d.snapshot_frame = seen.frames.size() - 1;
  }
  return d;
}

}  // namespace doorbell::decision
