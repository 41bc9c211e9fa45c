#include "doorbell/decision/face_votes.hpp"

#include <limits>
#include <map>

namespace doorbell::decision {
namespace {

using model::Match;
using model::Verdict;

struct FaceSeen {
  std::size_t frame;
  const model::Face* face;
  Match match;
};

int priority(Verdict v) {
  return v == Verdict::blacklisted ? 2 : v == Verdict::known ? 1 : 0;
}

FaceVote decide(const std::vector<FaceSeen>& group) {
  // Votes per (verdict, person); unknown sightings vote for "unknown".
  std::map<std::pair<Verdict, std::int64_t>, std::size_t> votes;
  for (const auto& s : group) {
    const auto id = s.match.verdict == Verdict::unknown ? 0 : s.match.person->id;
    ++votes[{s.match.verdict, id}];
  }
  auto winner = votes.begin();
  for (auto it = votes.begin(); it != votes.end(); ++it) {
    if (it->second > winner->second ||
        (it->second == winner->second && priority(it->first.first) > priority(winner->first.first))) {
      winner = it;
    }
  }
  FaceVote v;
  v.verdict = winner->first.first;
  v.votes = winner->second;
  v.frames = group.size();
  v.distance = std::numeric_limits<double>::infinity();
  const FaceSeen* largest = nullptr;  // the largest face among the sightings that agree with the verdict
  for (const auto& s : group) {
    const bool agrees = s.match.verdict == v.verdict &&
                        (v.verdict == Verdict::unknown || s.match.person->id == winner->first.second);
    if (!agrees) continue;
    if (s.match.distance < v.distance) {
      v.distance = s.match.distance;
      if (v.verdict != Verdict::unknown) v.person = *s.match.person;
    }
    if (largest == nullptr || s.face->box.width > largest->face->box.width) largest = &s;
  }
  v.best_frame = largest->frame;
  v.box = largest->face->box;
  v.descriptor = largest->face->descriptor;
  v.quality = largest->face->quality;
  return v;
}

}  // namespace

std::vector<FaceVote> vote_faces(std::span<const std::vector<model::Face>> frames,
                                 const model::GalleryIndex& gallery, const model::MatchPolicy& policy) {
  // Greedy grouping: a face joins the nearest group (by its first face) within the threshold that has
  // no face from the same frame yet — two faces in one frame are two people.
  std::vector<std::vector<FaceSeen>> groups;
  for (std::size_t f = 0; f < frames.size(); ++f) {
    for (const auto& face : frames[f]) {
      if (!face.quality.ok()) continue;
      std::vector<FaceSeen>* nearest = nullptr;
      double nearest_distance = policy.threshold;
      for (auto& g : groups) {
        if (g.back().frame == f) continue;
        const double d = model::distance(g.front().face->descriptor, face.descriptor);
        if (d <= nearest_distance) {
          nearest_distance = d;
          nearest = &g;
        }
      }
      FaceSeen s{f, &face, gallery.match(face.descriptor, policy)};
      if (nearest == nullptr) {
        groups.push_back({s});
      } else {
        nearest->push_back(s);
      }
    }
  }
  std::vector<FaceVote> votes;
  votes.reserve(groups.size());
  for (const auto& g : groups) votes.push_back(decide(g));
  return votes;
}

}  // namespace doorbell::decision
