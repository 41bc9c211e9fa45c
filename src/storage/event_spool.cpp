#include "doorbell/storage/event_spool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "doorbell/common/interruptible_sleep.hpp"
#include "doorbell/storage/atomic_file.hpp"
#include "doorbell/storage/file_sweep.hpp"

namespace doorbell::storage {

struct EventSpool::Held {
  model::Event event;
  std::vector<Delivery> deliveries;
  std::shared_ptr<const std::vector<std::uint8_t>> snapshot;
  std::filesystem::path snapshot_file;  // where the snapshot goes when it has no file yet
  std::set<std::int64_t> in_flight;     // deliveries a dispatcher is sending
  std::int64_t row = 0;                 // in the spool file; 0: in memory only
};

namespace {

prometheus::Family<prometheus::Counter>& lost_family(prometheus::Registry& registry) {
  auto& family = prometheus::BuildCounter()
                     .Name("doorbell_events_lost_total")
                     .Help("Decided events that could not be stored nor held: spool_full, shutdown")
                     .Register(registry);
  for (const auto* reason : {"spool_full", "shutdown"}) family.Add({{"reason", reason}});
  return family;
}

// Writes a held snapshot that has no file (yet, or any more: a long outage lets the sweep take a file no
// row names), when the folder takes it now.
void write_snapshot(model::Event& event, const std::vector<std::uint8_t>& jpeg,
                    const std::filesystem::path& file) {
  if (!event.snapshot_path.empty() && std::filesystem::exists(event.snapshot_path)) return;
  event.snapshot_path.clear();
  event.snapshot_bytes = 0;
  if (jpeg.empty() || file.empty()) return;
  try {
    write_file_atomically(file, jpeg);
    event.snapshot_path = file.string();
    event.snapshot_bytes = bytes_on_disk(file);
  } catch (const std::exception& e) {
    spdlog::debug("spool: the snapshot of the event at {} is still not kept: {}", event.time, e.what());
  }
}

}  // namespace

EventSpool::EventSpool(const StorageConfig& config, EventStore& events, StorageHealth& health,
                       prometheus::Registry& registry)
    : config_(config),
      events_(events),
      health_(health),
      held_gauge_(prometheus::BuildGauge()
                      .Name("doorbell_spooled_events")
                      .Help("Decided events held in memory until storage takes writes again")
                      .Register(registry)
                      .Add({})),
      spooled_(prometheus::BuildCounter()
                   .Name("doorbell_events_spooled_total")
                   .Help("Decided events that could not be stored at once and were held in memory")
                   .Register(registry)
                   .Add({})),
      lost_(lost_family(registry)) {
  if (config.backend != "postgres") return;  // the spool file would be in the database that fails
  try {
    file_ = std::make_unique<SpoolFile>(config.data_dir);
    load();
  } catch (const std::exception& e) {
    file_.reset();
    spdlog::error("spool: held events stay in memory only: the spool file cannot be opened: {}", e.what());
  }
}

// Whether the shared database has the event already (its commit went through, the spool file's delete did
// not): its deliveries there have gone on since, so holding it again would send them twice.
bool EventSpool::stored_before(const SpooledEvent& s) {
  try {
    const auto id = events_.stored_as(s.event, s.deliveries);
    if (!id) return false;
    spdlog::info("spool: the ring from {} at {} is stored already (event {}); off the spool file",
                 s.event.source, s.event.time, *id);
    file_->remove(s.row);
    return true;
  } catch (const std::exception& e) {  // held: storing it finds it, by the same key
    spdlog::warn("spool: cannot tell whether the ring from {} at {} is stored: {}", s.event.source,
                 s.event.time, e.what());
    return false;
  }
}

void EventSpool::load() {
  std::lock_guard lock(mutex_);
  for (auto& s : file_->all()) {
    if (stored_before(s)) continue;
    for (auto& d : s.deliveries) d.id = next_id_++;
    held_.push_back({std::move(s.event),
                     std::move(s.deliveries),
                     std::make_shared<const std::vector<std::uint8_t>>(std::move(s.snapshot)),
                     std::move(s.snapshot_file),
                     {},
                     s.row});
  }
  held_gauge_.Set(static_cast<double>(held_.size()));
  if (!held_.empty())
    spdlog::warn("spool: {} events held from before the restart; stored once the shared database takes them",
                 held_.size());
}

EventSpool::~EventSpool() {
  stop_worker(worker_);
}

bool EventSpool::hold(model::Event event, std::vector<Delivery> deliveries,
                      std::vector<std::uint8_t> snapshot, std::filesystem::path snapshot_file) {
  std::lock_guard lock(mutex_);
  if (held_.size() >= static_cast<std::size_t>(config_.spool_events)) {
    lost_.Add({{"reason", "spool_full"}}).Increment();
    spdlog::error(
        "ring from {} at {} is LOST: it could not be stored and {} events already wait "
        "(storage.spool_events)",
        event.source, event.time, held_.size());
    return false;
  }
  for (auto& d : deliveries) d.id = next_id_++;
  std::int64_t row = 0;
  if (file_) {
    try {
      row = file_->add(event, deliveries, snapshot, snapshot_file);
      health_.succeeded(StoredItem::spool);
    } catch (const std::exception& e) {
      spdlog::error("spool: the ring from {} at {} is held in memory only: {}", event.source, event.time,
                    e.what());
      health_.failed(StoredItem::spool, e.what());
    }
  }
  held_.push_back({std::move(event),
                   std::move(deliveries),
                   std::make_shared<const std::vector<std::uint8_t>>(std::move(snapshot)),
                   std::move(snapshot_file),
                   {},
                   row});
  spooled_.Increment();
  held_gauge_.Set(static_cast<double>(held_.size()));
  spdlog::warn(
      "ring from {} at {} held in memory until storage takes writes again ({} held); its "
      "notifications go now",
      held_.back().event.source, held_.back().event.time, held_.size());
  return true;
}

std::optional<SpooledNotice> EventSpool::take_due(const std::string& channel,
                                                  const std::function<bool(const Delivery&)>& due) {
  std::lock_guard lock(mutex_);
  for (auto& h : held_) {
    for (const auto& d : h.deliveries) {
      if (d.channel == channel && d.state == "pending" && !h.in_flight.contains(d.id) && due(d)) {
        h.in_flight.insert(d.id);
        return SpooledNotice{d, h.event, h.snapshot};
      }
    }
  }
  return std::nullopt;
}

void EventSpool::update(std::int64_t id, const std::function<void(Delivery&)>& change) {
  std::lock_guard lock(mutex_);
  for (auto& h : held_) {
    for (auto& d : h.deliveries) {
      if (d.id != id) continue;
      change(d);
      h.in_flight.erase(id);
      if (file_ && h.row != 0) {
        try {
          file_->update(h.row, h.deliveries);
          health_.succeeded(StoredItem::spool);
        } catch (const std::exception& e) {  // after a restart this delivery would be sent again
          spdlog::error("spool: the state of delivery {} is not on disk: {}", id, e.what());
          health_.failed(StoredItem::spool, e.what());
        }
      }
      return;
    }
  }
}

void EventSpool::delivered(std::int64_t id, int attempts, const std::string& now) {
  update(id, [&](Delivery& d) {
    d.state = "delivered";
    d.attempts = attempts;
    d.last_error.clear();
    d.finished_at = now;
  });
}

void EventSpool::retry(std::int64_t id, int attempts, const std::string& next_attempt_at,
                       const std::string& error) {
  update(id, [&](Delivery& d) {
    d.attempts = attempts;
    d.next_attempt_at = next_attempt_at;
    d.last_error = error;
  });
}

void EventSpool::failed(std::int64_t id, int attempts, const std::string& error, const std::string& now) {
  update(id, [&](Delivery& d) {
    d.state = "failed";
    d.attempts = attempts;
    d.last_error = error;
    d.finished_at = now;
  });
}

std::size_t EventSpool::flush() {
  std::list<Held> ready;  // taken out while stored, so dispatchers never wait on the database
  {
    std::lock_guard lock(mutex_);
    for (auto it = held_.begin(); it != held_.end();) {
      const auto next = std::next(it);
      if (it->in_flight.empty()) ready.splice(ready.end(), held_, it);
      it = next;
    }
  }
  while (!ready.empty()) {
    auto& h = ready.front();
    if (!events_.keeps_snapshots()) write_snapshot(h.event, *h.snapshot, h.snapshot_file);
    try {
      h.event.id = events_.insert(h.event, std::span<const Delivery>(h.deliveries), *h.snapshot);
    } catch (const std::exception& e) {
      health_.failed(StoredItem::event, e.what());
      break;  // still failing: the rest waits too
    }
    health_.succeeded(StoredItem::event);
    spdlog::info("spool: the ring from {} at {} is stored as event {}", h.event.source, h.event.time,
                 h.event.id);
    if (file_ && h.row != 0) {
      try {
        file_->remove(h.row);
      } catch (const std::exception& e) {  // storing it again finds it, by its deliveries' keys
        spdlog::error("spool: event {} is stored but still in the spool file: {}", h.event.id, e.what());
      }
    }
    ready.pop_front();
  }
  std::lock_guard lock(mutex_);
  held_.splice(held_.begin(), ready);  // oldest first, as they came
  held_gauge_.Set(static_cast<double>(held_.size()));
  return held_.size();
}

std::size_t EventSpool::size() const {
  std::lock_guard lock(mutex_);
  return held_.size();
}

bool EventSpool::holds_ring(std::int64_t ring_id) const {
  std::lock_guard lock(mutex_);
  return ring_id != 0 &&
         std::any_of(held_.begin(), held_.end(), [&](const Held& h) { return h.event.ring_id == ring_id; });
}

void EventSpool::start(Component& component, std::function<void()> stored) {
  worker_ = std::make_unique<Worker>(
      component, [this, stored = std::move(stored)](std::stop_token stop, Component& self) {
        self.set_ready();
        while (sleep_for(stop, std::chrono::seconds(1))) {
          self.beat();
          const auto before = size();
          if (before > 0 && flush() < before) stored();
        }
      });
}

void EventSpool::stop() {
  stop_worker(worker_);
  if (size() > 0) flush();
  std::lock_guard lock(mutex_);
  for (const auto& h : held_) {
    if (h.row != 0) {
      spdlog::warn("ring from {} at {} ({}) kept on disk until the shared database takes it", h.event.source,
                   h.event.time, model::to_string(h.event.kind));
      continue;
    }
    lost_.Add({{"reason", "shutdown"}}).Increment();
    spdlog::error("ring from {} at {} ({}) is LOST: storage did not take it before shutdown", h.event.source,
                  h.event.time, model::to_string(h.event.kind));
  }
  held_.clear();
  held_gauge_.Set(0);
}

}  // namespace doorbell::storage
