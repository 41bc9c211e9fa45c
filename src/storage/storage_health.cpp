#include "doorbell/storage/storage_health.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <system_error>

#include "doorbell/common/clock.hpp"
#include "doorbell/common/interruptible_sleep.hpp"
#include "doorbell/model/time_text.hpp"
#include "doorbell/storage/atomic_file.hpp"
#include "doorbell/storage/database.hpp"

namespace doorbell::storage {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr const char* kSharedAway = "the shared database cannot be reached or written";

// Why `folder` cannot take new files, if it cannot; a folder that does not exist yet is fine when its
// parent can take it.
std::optional<std::string> folder_problem(const std::filesystem::path& folder) {
  std::error_code error;
  const auto status = std::filesystem::status(folder, error);
  if (status.type() == std::filesystem::file_type::not_found) {
    return ::access(folder.parent_path().c_str(), W_OK | X_OK) == 0
               ? std::nullopt
               : std::optional(fmt::format("{} cannot be created: {}", folder.string(),
                                           std::generic_category().message(errno)));
  }
  if (status.type() != std::filesystem::file_type::directory) {
    return fmt::format("{} is not a folder", folder.string());
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    return fmt::format("{} cannot be written: {}", folder.string(), std::generic_category().message(errno));
  }
  return std::nullopt;
}

}  // namespace

const char* to_string(StoredItem item) noexcept {
  switch (item) {
    case StoredItem::event:
      return "event";
    case StoredItem::snapshot:
      return "snapshot";
    case StoredItem::delivery:
      return "delivery";
    case StoredItem::spool:
      return "spool";
  }
  return "event";
}

StorageHealth::StorageHealth(const StorageConfig& config, Component& component,
                             prometheus::Registry& registry)
    : config_(config),
      component_(component),
      failures_(
          prometheus::BuildCounter()
              .Name("doorbell_storage_write_failures_total")
              .Help(
                  "Writes that failed, by item: event (with its deliveries), snapshot, delivery state, spool "
                  "(a held event on the door's disk)")
              .Register(registry)),
      free_bytes_(prometheus::BuildGauge()
                      .Name("doorbell_storage_free_bytes")
                      .Help("Bytes free for doorbelld on the filesystem of storage.data_dir")
                      .Register(registry)
                      .Add({})) {
  for (const auto item : {StoredItem::event, StoredItem::snapshot, StoredItem::delivery, StoredItem::spool}) {
    failures_.Add({{"item", to_string(item)}});  // every series from 0
  }
}

StorageHealth::~StorageHealth() {
  stop();
}

void StorageHealth::failed(StoredItem item, const std::string& error) {
  failures_.Add({{"item", to_string(item)}}).Increment();
  std::lock_guard lock(mutex_);
  // The shared database's errors name its host: /api/ready is open to the LAN, so they stay in the log.
  const std::string key = to_string(item);
  if (item == StoredItem::spool) {
    set_problem(key, fmt::format("cannot keep held events on the door's disk: {}", error));
  } else if (lowers_to_degraded(key)) {
    set_problem(key, fmt::format("cannot store {} in the shared database", key));
  } else {
    set_problem(key, fmt::format("cannot store {}: {}", key, error));
  }
  publish();
}

void StorageHealth::succeeded(StoredItem item) {
  std::lock_guard lock(mutex_);
  if (!problems_.contains(to_string(item))) return;
  set_problem(to_string(item), std::nullopt);
  publish();
}

std::optional<std::string> StorageHealth::problem() const {
  std::lock_guard lock(mutex_);
  if (problems_.empty()) return std::nullopt;
  return all_problems();
}

std::string StorageHealth::all_problems() const {
  std::string all;
  for (const auto& [key, text] : problems_) all += (all.empty() ? "" : "; ") + text;
  return all;
}

void StorageHealth::check_now() {
  const std::filesystem::path data_dir = config_.data_dir;
  std::optional<std::string> space;
  struct statvfs fs {};
  if (::statvfs(data_dir.c_str(), &fs) != 0) {
    space = fmt::format("cannot read the free space of {}: {}", data_dir.string(),
                        std::generic_category().message(errno));
  } else {
    const double free = static_cast<double>(fs.f_bavail) * static_cast<double>(fs.f_frsize);
    free_bytes_.Set(free);
    if ((fs.f_flag & ST_RDONLY) != 0) {
      space = fmt::format("{} is on a read-only filesystem", data_dir.string());
    } else if (free < config_.min_free_megabytes * kMiB) {
      space = fmt::format("{:.1f} MB free on the filesystem of {} (storage.min_free_megabytes is {})",
                          free / kMiB, data_dir.string(), config_.min_free_megabytes);
    }
  }
  auto data_folder = folder_problem(data_dir);
  auto events_folder = folder_problem(data_dir / "events");
  bool probe_db = false;
  bool probe_snapshot = false;
  bool probe_spool = false;
  {
    std::lock_guard lock(mutex_);
    set_problem("space", std::move(space));
    set_problem("data_dir", std::move(data_folder));
    set_problem("events_dir", std::move(events_folder));
    probe_db = shared() || problems_.contains("event") || problems_.contains("delivery");
    probe_snapshot = problems_.contains("snapshot");
    probe_spool = problems_.contains("spool");
    publish();
  }
  if (probe_spool && !write_error(local_probe_, Location(config_.data_dir))) succeeded(StoredItem::spool);
  if (probe_db) {
    auto error = write_error(probe_, records_location(config_));
    if (shared()) {
      std::lock_guard lock(mutex_);
      if (error && !problems_.contains("records"))
        spdlog::warn("storage: the shared database cannot be written: {}", *error);
      set_problem("records", error ? std::optional<std::string>(kSharedAway) : std::nullopt);
      publish();
    }
    if (!error) {
      succeeded(StoredItem::event);
      succeeded(StoredItem::delivery);
    }
  }
  if (probe_snapshot) {
    try {
      const auto probe = data_dir / "events" / ".write-probe";
      write_file_atomically(probe, std::array<std::uint8_t, 1>{1});
      std::filesystem::remove(probe);
      succeeded(StoredItem::snapshot);
    } catch (const std::exception& e) {
      spdlog::debug("storage: snapshots still cannot be written: {}", e.what());
    }
  }
}

// A real write, so that a full disk or a read-only database shows.
std::optional<std::string> StorageHealth::write_error(std::unique_ptr<Database>& probe,
                                                      const Location& where) {
  try {
    if (!probe) probe = std::make_unique<Database>(open_records(where));
    probe
        ->prepare(
            "INSERT INTO storage_probe (id, checked_at) VALUES (1, ?) "
            "ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at")
        .bind(1, model::iso_time(std::chrono::system_clock::now()))
        .run();
    return std::nullopt;
  } catch (const std::exception& e) {
    probe.reset();  // a fresh connection next time
    spdlog::debug("storage: the database still cannot be written: {}", e.what());
    return e.what();
  }
}

void StorageHealth::set_problem(const std::string& key, std::optional<std::string> problem) {
  const auto it = problems_.find(key);
  if (!problem) {
    if (it != problems_.end()) {
      spdlog::info("storage: recovered ({})", it->second);
      problems_.erase(it);
    }
    return;
  }
  if (it == problems_.end() || it->second != *problem) {
    if (key != "event" && key != "snapshot" && key != "delivery" && key != "records" && key != "spool")
      spdlog::error("storage: {}", *problem);
    problems_[key] = std::move(*problem);
  }
}

bool StorageHealth::shared() const {
  return config_.backend == "postgres";
}

bool StorageHealth::lowers_to_degraded(const std::string& key) const {
  return shared() && (key == "records" || key == "event" || key == "delivery");
}

void StorageHealth::publish() {
  if (problems_.empty()) {
    component_.set_ready();
    return;
  }
  if (std::all_of(problems_.begin(), problems_.end(),
                  [this](const auto& p) { return lowers_to_degraded(p.first); })) {
    component_.set_degraded(
        all_problems() +
        "; rings are decided with the faces loaded last, notified, and held until it returns");
    return;
  }
  component_.set_not_ready(all_problems());
}

void StorageHealth::start() {
  check_now();
  worker_ = std::make_unique<Worker>(component_, [this](std::stop_token stop, Component& self) {
    const auto interval = ticks(config_.check_interval_seconds);
    while (sleep_for(stop, interval)) {
      self.beat();
      check_now();
    }
  });
}

void StorageHealth::stop() {
  stop_worker(worker_);
}

}  // namespace doorbell::storage
