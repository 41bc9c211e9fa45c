#include "doorbell/app/daemon.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "doorbell/api/audit_routes.hpp"
#include "doorbell/api/auth_routes.hpp"
#include "doorbell/api/camera_routes.hpp"
#include "doorbell/api/daemon_routes.hpp"
#include "doorbell/api/event_routes.hpp"
#include "doorbell/api/face_routes.hpp"
#include "doorbell/api/routes.hpp"
#include "doorbell/api/rule_routes.hpp"
#include "doorbell/api/visitor_routes.hpp"
#include "doorbell/api/web_routes.hpp"
#include "doorbell/app/shutdown_deadline.hpp"
#include "doorbell/common/build_info.hpp"
#include "doorbell/common/clock.hpp"
#include "doorbell/config/loader.hpp"
#include "doorbell/model/time_text.hpp"
#include "doorbell/observability/health_collector.hpp"
#include "doorbell/observability/logging.hpp"
#include "doorbell/observability/process_collector.hpp"
#include "doorbell/observability/queue_collector.hpp"
#include "doorbell/storage/database_file.hpp"
#include "doorbell/storage/file_sweep.hpp"
#include "doorbell/storage/private_files.hpp"

namespace doorbell {
namespace {

// Before any store opens the data directory: what is in it is for this user and group only.
Config with_private_data(Config config) {
  if (const auto n = storage::make_private(config.storage.data_dir); n > 0) {
    spdlog::warn(
        "{}: {} file(s) or folder(s) were readable by every user; now only by doorbelld's user and group",
        config.storage.data_dir, n);
  }
  return config;
}

// The data directory for this daemon alone, with a sound database (or refused, saying what to do), and
// what a crash left behind swept before anything writes. Records shared with other doors (PostgreSQL)
// keep their pictures themselves: there is nothing of theirs to sweep.
std::unique_ptr<storage::DataDirLock> claim_data_dir(const StorageConfig& storage) {
  const auto& data_dir = storage.data_dir;
  auto lock = std::make_unique<storage::DataDirLock>(data_dir);
  storage::check_database_at_start(data_dir);
  if (storage.backend != "sqlite") return lock;
  const auto swept = storage::FileSweep(data_dir, std::chrono::seconds(10)).run();
  if (swept.orphan_files + swept.missing_files > 0) {
    spdlog::warn("storage: {} file(s) without a row removed, {} row(s) without their file repaired",
                 swept.orphan_files, swept.missing_files);
  }
  return lock;
}

// How long a door holds a delivery it is sending (or retrying) before another door sharing the records
// may take it over: a few attempts' time.
std::chrono::seconds claim_lease(const NotifyConfig& notify) {
  return std::chrono::seconds(static_cast<std::int64_t>(std::ceil(6 * notify.timeout_seconds.count())));
}

}  // namespace

Daemon::Daemon(Config config, std::optional<std::filesystem::path> config_file)
    : config_(with_private_data(std::move(config))),
      config_file_(std::move(config_file)),
      data_dir_lock_(claim_data_dir(config_.storage)),
      started_(clock_.now()),
      health_(clock_),
      metrics_(config_.door.id),
      main_loop_(health_.add("main_loop", ticks(config_.daemon.heartbeat_timeout_seconds))),
      http_component_(health_.add("http")),
      recognition_(health_.add("recognition")),
      exporter_(config_.tracing.enabled ? std::make_unique<OtlpExporter>(config_.tracing, metrics_.registry(),
                                                                         health_.add("tracing"))
                                        : nullptr),
      tracer_({config_.tracing.sampler, config_.tracing.ratio}, exporter_.get()),
      storage_(config_.storage, health_.add("storage"), metrics_.registry()),
      audit_(storage::records_location(config_.storage), config_.door.id, metrics_.registry()),
      events_(storage::records_location(config_.storage),
              config_.storage.backend == "postgres" ? config_.door.id : std::string(), config_.door.name),
      spool_(config_.storage, events_, storage_, metrics_.registry()),
      journal_(config_.storage.data_dir),
      visitors_(storage::records_location(config_.storage), config_.visitors),
      retention_(
          config_.storage, events_, health_.add("retention"), clock_, metrics_.registry(),
          [this] {
            visitors_.merge_bridged();
            return visitors_.expire(clock_.wall_now());
          },
          [this] { return audit_.prune(config_.audit.keep_days, clock_.wall_now()); }),
      outbox_(storage::records_location(config_.storage), config_.door.id, claim_lease(config_.notify)),
      rules_(storage::records_location(config_.storage)),
      notifications_(config_, events_, outbox_, storage_, spool_, health_, metrics_, tracer_, clock_,
                     &rules_),
      intake_(config_.pipeline, metrics_.registry(), &tracer_, &journal_),
      sessions_(config_.storage.data_dir,
                std::chrono::duration_cast<std::chrono::seconds>(config_.auth.session_hours), clock_,
                metrics_.registry()),
      throttle_(config_.auth, clock_, metrics_.registry()),
      access_({config_.http.api_token, config_.http.viewer_token, config_.http.metrics_token}, &sessions_,
              &throttle_),
      server_(config_.http, metrics_.registry(), access_, &tracer_, api::daemon_routes()),
      systemd_(health_, clock_) {
  server_.bind();  // before the slow model loading: a port conflict fails at once
  register_build_info(metrics_.registry());
  register_door_info(metrics_.registry(), config_.door.id, config_.door.name);
  metrics_.add_collector(std::make_unique<ProcessCollector>());
  metrics_.add_collector(std::make_unique<HealthCollector>(health_));

  server_.get("/api/health", [this](const auto&) { return api::health(health_, clock_.now() - started_); });
  server_.get("/api/ready", [this](const auto&) { return api::ready(health_); });
  server_.get("/metrics", [this](const auto&) { return api::metrics(metrics_); });
  if (!config_.camera.source.empty()) {
    camera_ = std::make_unique<capture::Camera>(
        config_.camera, capture::make_frame_source(config_.camera),
        health_.add("camera", ticks(config_.daemon.heartbeat_timeout_seconds)), metrics_.registry());
  }
  const capture::LiveFrame* live = camera_ ? &camera_->live() : nullptr;
  try {
    faces_ = std::make_unique<gallery::FaceDesk>(config_, metrics_.registry());  // the first to load models
    if (camera_) {
      assessor_ = std::make_unique<pipeline::FaceAssessor>(
          config_, health_.add("face_assessor", ticks(config_.daemon.heartbeat_timeout_seconds)),
          metrics_.registry());
      camera_->feed(&assessor_->queue());
    }
    if (config_.storage.backend == "postgres") {  // other doors change the gallery too
      gallery_watch_ = std::make_unique<gallery::GalleryWatch>(
          storage::records_location(config_.storage), faces_->gallery(), health_.add("gallery_watch"), clock_,
          [this] { visitors_.refresh(); });
    }
    workers_ = std::make_unique<pipeline::RecognitionWorkers>(
        config_, live, assessor_ ? &assessor_->assessed() : nullptr, intake_, faces_->gallery(), visitors_,
        events_, spool_, storage_, health_, metrics_.registry(), tracer_,
        [this](const model::Event& event) { return notifications_.plan(event); },
        [this](const model::Event& event) { notifications_.decided(event); });
    recognition_.set_ready();
    api::add_face_routes(server_, *faces_, audit_);
    api::add_visitor_routes(server_, visitors_, *faces_, audit_);
    api::add_rule_routes(
        server_, rules_, notifications_.channels(),
        [this](std::int64_t id) { return faces_->find(id).has_value(); }, audit_);
  } catch (const recognition::ModelError& e) {
    // Serve health and metrics so the problem is visible; never ready without models.
    spdlog::error("face recognition unavailable: {}", e.what());
    recognition_.set_not_ready(e.what());
  }
  if (!config_.gpio.chip.empty()) {
    button_ = std::make_unique<trigger::GpioButton>(
        config_.gpio, intake_, health_.add("gpio", ticks(config_.daemon.heartbeat_timeout_seconds)));
  }
  if (config_.presence.enabled && assessor_) {
    presence_ = std::make_unique<trigger::PresenceWatcher>(
        config_, assessor_->assessed(), intake_,
        health_.add("presence", ticks(config_.daemon.heartbeat_timeout_seconds)));
  }
  auto queues = std::make_unique<QueueCollector>();
  queues->add("rings", intake_.queue());
  if (assessor_) {
    queues->add("frames", OverflowPolicy::reject_newest, [q = &assessor_->queue()] { return q->stats(); });
  }
  metrics_.add_collector(std::move(queues));
  api::add_event_routes(server_, events_, outbox_, intake_, live);
  api::add_camera_routes(server_, camera_.get(), config_.camera);
  api::add_auth_routes(server_, sessions_, &throttle_, audit_);
  api::add_audit_routes(server_, audit_);
  api::add_web_routes(server_);
  stream_ = std::make_unique<api::MjpegStream>(config_.http, live, metrics_.registry());
  server_.get("/api/stream.mjpg", [this](const auto&) { return stream_->open(); });
}

Daemon::~Daemon() = default;

int Daemon::run(const SignalSet& signals) {
  storage_.start();
  record_interrupted_rings();  // before any new ring, and notified like any other event
  spool_.start(health_.add("spool", ticks(config_.daemon.heartbeat_timeout_seconds)),
               [this] { notifications_.wake(); });
  if (exporter_) exporter_->start();
  if (assessor_) assessor_->start();
  if (camera_) camera_->start();
  if (workers_) workers_->start();
  if (button_) button_->start();
  if (presence_) presence_->start();
  retention_.start();
  notifications_.start();
  http_worker_ = std::make_unique<Worker>(http_component_, [this](std::stop_token stop, Component& self) {
    std::stop_callback on_stop(stop, [this] { server_.stop(); });
    self.set_ready();
    server_.serve();
  });
  main_loop_.set_ready();
  spdlog::info("doorbelld {} ({}) serving {}://{}:{}", build_version(), build_commit(),
               server_.tls() ? "https" : "http", config_.http.bind_address, server_.port());

  // Wake often enough that neither the main loop's heartbeat nor systemd's watchdog goes stale.
  const auto tick = systemd_.tick(
      std::min(std::chrono::milliseconds(1000),
               std::chrono::duration_cast<std::chrono::milliseconds>(main_loop_.heartbeat_timeout() / 4)));
  for (;;) {
    main_loop_.beat();
    systemd_.update();
    refresh_sessions();
    const auto sig = signals.wait(tick);
    if (!sig) continue;
    if (*sig == SIGHUP) {
      reload();
      continue;
    }
    spdlog::info("received {}, shutting down", sigabbrev_np(*sig));
    break;
  }
  shutdown();
  return 0;
}

void Daemon::record_interrupted_rings() {
  try {
    for (const auto& ring : journal_.unfinished()) {
      if (spool_.holds_ring(ring.id)) continue;  // decided before the restart, and stored from the spool
      model::Event event;
      event.door = config_.door.id;
      event.time = ring.time;
      event.clock_synced = ring.clock_synced;
      event.source = ring.source;
      event.kind = model::EventKind::interrupted;
      event.trace_id = ring.trace_id;
      event.span_id = ring.span_id;
      event.ring_id = ring.id;
      event.idempotency_key = storage::event_key(event.door, ring.id, ring.time);
      auto deliveries = storage::new_deliveries(notifications_.plan(event),
                                                model::iso_time(std::chrono::system_clock::now()));
      try {
        if (const auto stored = events_.stored_as(event, {})) {  // decided and stored; the journal missed it
          journal_.forget(ring.id);
          spdlog::info("the ring from {} at {} was stored as event {} before doorbelld stopped", ring.source,
                       ring.time, *stored);
          continue;
        }
        event.id = events_.insert(event, std::span<const storage::Delivery>(deliveries));
        spdlog::warn(
            "the ring from {} at {} was accepted but not decided before doorbelld stopped: event {} "
            "(interrupted)",
            ring.source, ring.time, event.id);
      } catch (const storage::DatabaseError& e) {  // a door started while the shared database is away
        spdlog::error("the interrupted ring from {} at {} is held until the records take it: {}", ring.source,
                      ring.time, e.what());
        if (!spool_.hold(event, std::move(deliveries), {}, {})) continue;  // stays in the journal
      }
      notifications_.decided(event);
    }
  } catch (const std::exception& e) {  // they stay in the journal for the next start
    spdlog::error("cannot record the rings a previous run left undecided: {}", e.what());
  }
}

void Daemon::refresh_sessions() {
  try {
    sessions_.refresh();  // a user removed or a password changed with `doorbelld user` ends their sessions
  } catch (const std::exception& e) {
    spdlog::warn("cannot refresh login sessions: {}", e.what());
  }
}

void Daemon::reload() {
  Config fresh;
  std::vector<std::string> warnings;
  try {
    fresh = load_config(config_file_, process_environment(), &warnings);
  } catch (const std::exception& e) {
    spdlog::error("SIGHUP: keeping the running configuration: {}", e.what());
    return;
  }
  for (const auto& warning : warnings) spdlog::warn("SIGHUP: {}", warning);
  const auto changed = changed_keys(config_, fresh);
  std::vector<std::string> applied;
  std::vector<std::string> not_applied;
  for (const auto& key : changed) {
    if (is_reloadable(key)) {
      applied.push_back(key);
    } else {
      spdlog::warn("SIGHUP: {} changed; restart doorbelld to apply it", key);
      not_applied.push_back(key);
    }
  }
  config_.log.level = fresh.log.level;
  config_.log.format = fresh.log.format;
  apply_log_settings(config_.log);
  try {
    server_.reload_tls();
  } catch (const std::exception& e) {
    spdlog::error("SIGHUP: keeping the running TLS certificate: {}", e.what());
  }
  spdlog::info("SIGHUP: configuration reloaded (log.level={}, log.format={}, {} key(s) changed)",
               config_.log.level, config_.log.format, changed.size());
  const auto keys = [](const std::vector<std::string>& list) {
    return list.empty() ? std::string("nothing") : fmt::format("{}", fmt::join(list, ", "));
  };
  audit_.record(
      {.actor = {"doorbelld", "system", ""},
       .action = "config.reloaded",
       .object_type = "config",
       .object_name = config_file_ ? config_file_->string() : "",
       .detail = fmt::format("applied: {}; needs a restart: {}", keys(applied), keys(not_applied))});
}

void Daemon::shutdown() {
  const auto begin = clock_.now();
  const ShutdownDeadline deadline(config_.daemon.shutdown_timeout_seconds);
  systemd_.stopping();
  main_loop_.set_not_ready("shutting down");
  stream_->close();           // viewers hold HTTP threads the server waits for
  stop_worker(http_worker_);  // no new rings
  if (button_) button_->stop();
  if (presence_) presence_->stop();
  // Queued rings get half the shutdown deadline to be recognised; any left are logged, not lost silently.
  const auto drain_until = begin + std::chrono::duration_cast<Clock::time_point::duration>(
                                       config_.daemon.shutdown_timeout_seconds / 2);
  while (workers_ && intake_.queue().stats().depth > 0 && clock_.now() < drain_until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (workers_) workers_->stop();  // finish the rings in hand
  while (auto ring = intake_.queue().try_pop()) {
    spdlog::error(
        "ring from {} at {} not recognised before shutdown: recorded as interrupted at the next start",
        ring->source, model::iso_time(ring->wall_time));
  }
  if (camera_) camera_->stop();
  if (assessor_) assessor_->stop();
  retention_.stop();
  notifications_.stop();  // undelivered notifications wait in the outbox for the next start
  spool_.stop();          // a last try to store what is held, with its deliveries as they stand
  storage_.stop();
  if (exporter_) {  // the last spans, in what is left of the deadline (with a margin for the rest)
    const auto left =
        config_.daemon.shutdown_timeout_seconds - (clock_.now() - begin) - std::chrono::milliseconds(500);
    exporter_->stop(
        std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(left)));
  }
  main_loop_.set_stopped();
  spdlog::info("stopped cleanly in {:.0f} ms",
               std::chrono::duration<double, std::milli>(clock_.now() - begin).count());
  spdlog::default_logger()->flush();
}

}  // namespace doorbell
