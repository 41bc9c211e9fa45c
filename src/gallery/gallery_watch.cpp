#include "doorbell/gallery/gallery_watch.hpp"

#include <spdlog/spdlog.h>

#include <optional>

#include "doorbell/common/interruptible_sleep.hpp"

namespace doorbell::gallery {
namespace {

constexpr auto kWait = std::chrono::milliseconds(500);  // how often a stop request is seen
constexpr auto kRetry = std::chrono::seconds(1);

}  // namespace

GalleryWatch::GalleryWatch(storage::Location where, GalleryCache& cache, Component& component)
    : where_(std::move(where)), cache_(cache) {
  cache_.watch();
  worker_ = std::make_unique<Worker>(component,
                                     [this](std::stop_token stop, Component& c) { run(std::move(stop), c); });
}

GalleryWatch::~GalleryWatch() {
  stop_worker(worker_);
}

void GalleryWatch::run(std::stop_token stop, Component& component) {
  component.set_ready();  // rings match with the faces loaded last while the database is away
  std::optional<storage::Database> listener;
  std::optional<storage::GalleryStore> store;
  bool lost = false;
  while (!stop.stop_requested()) {
    component.beat();
    try {
      if (!listener) {
        listener.emplace(storage::open_records(where_));
        listener->listen("doorbell_gallery");
        store.emplace(where_);
        cache_.refresh(*store);  // changes made while nobody listened
        if (lost) spdlog::info("gallery: the shared database is back; faces refreshed");
        lost = false;
      }
      if (listener->wait_for_notification(kWait)) cache_.refresh(*store);
    } catch (const std::exception& e) {
      if (!lost)
        spdlog::error("gallery: cannot follow the shared gallery (trying every second): {}", e.what());
      lost = true;
      listener.reset();
      store.reset();
      sleep_for(stop, kRetry);
    }
  }
}

}  // namespace doorbell::gallery
