#pragma once
// What a ring showing one voted face makes of it in a VisitorBook: the familiar faces' rules applied to it
// (decision::decide_person) under the book's lock, and the cluster it joins made or counted.

#include "doorbell/decision/ring_decision.hpp"
#include "doorbell/gallery/visitor_book.hpp"

namespace doorbell::testing {

inline decision::PersonDecision sight(gallery::VisitorBook& book, decision::FaceVote vote,
                                      double visitor_threshold) {
  auto decided = book.decide([&](const decision::VisitorView& view) {
    decision::Decision one;
    one.people.push_back(decision::decide_person(vote, view, visitor_threshold));
    return one;
  });
  return std::move(decided.people.front());
}

}  // namespace doorbell::testing
