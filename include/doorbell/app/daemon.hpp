#pragma once
// Daemon: owns and wires every component, runs the main loop (signals, heartbeat, reload) and tears
// down in reverse order within daemon.shutdown_timeout_seconds. Used from the main thread only.

#include <filesystem>
#include <memory>
#include <optional>

#include "doorbell/api/mjpeg_stream.hpp"
#include "doorbell/app/signals.hpp"
#include "doorbell/app/systemd_notifier.hpp"
#include "doorbell/auth/sessions.hpp"
#include "doorbell/auth/throttle.hpp"
#include "doorbell/capture/camera.hpp"
#include "doorbell/common/clock.hpp"
#include "doorbell/common/health.hpp"
#include "doorbell/common/worker.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/gallery/face_desk.hpp"
#include "doorbell/gallery/gallery_watch.hpp"
#include "doorbell/gallery/visitor_book.hpp"
#include "doorbell/http/access.hpp"
#include "doorbell/http/server.hpp"
#include "doorbell/notify/notifications.hpp"
#include "doorbell/observability/metrics.hpp"
#include "doorbell/observability/otlp_exporter.hpp"
#include "doorbell/observability/tracer.hpp"
#include "doorbell/pipeline/face_assessor.hpp"
#include "doorbell/pipeline/recognition_workers.hpp"
#include "doorbell/pipeline/ring_intake.hpp"
#include "doorbell/storage/audit_trail.hpp"
#include "doorbell/storage/data_dir_lock.hpp"
#include "doorbell/storage/event_spool.hpp"
#include "doorbell/storage/event_store.hpp"
#include "doorbell/storage/outbox.hpp"
#include "doorbell/storage/retention.hpp"
#include "doorbell/storage/ring_journal.hpp"
#include "doorbell/storage/storage_health.hpp"
#include "doorbell/trigger/gpio_button.hpp"
#include "doorbell/trigger/presence_watcher.hpp"

namespace doorbell {

class Daemon {
 public:
  // Builds every component and binds the HTTP port; throws std::runtime_error naming the setting that
  // made start-up impossible, or saying what to do about a damaged database or a data directory in use.
  Daemon(Config config, std::optional<std::filesystem::path> config_file);
  ~Daemon();

  // Serves until SIGTERM or SIGINT, then shuts down; returns the process exit code.
  int run(const SignalSet& signals);

 private:
  void reload();
  void refresh_sessions();
  void record_interrupted_rings();
  void shutdown();

  Config config_;
  const std::optional<std::filesystem::path> config_file_;
  const std::unique_ptr<storage::DataDirLock> data_dir_lock_;  // before any store opens the database
  SteadyClock clock_;
  const Clock::time_point started_;
  HealthRegistry health_;
  Metrics metrics_;
  Component& main_loop_;
  Component& http_component_;
  Component& recognition_;
  std::unique_ptr<OtlpExporter> exporter_;  // empty unless tracing.enabled
  Tracer tracer_;
  std::unique_ptr<gallery::FaceDesk> faces_;  // empty while the models cannot be loaded
  storage::StorageHealth storage_;
  storage::AuditTrail audit_;
  storage::EventStore events_;
  storage::EventSpool spool_;
  storage::RingJournal journal_;
  gallery::VisitorBook visitors_;
  storage::Retention retention_;
  storage::Outbox outbox_;
  notify::RuleBook rules_;
  notify::Notifications notifications_;
  pipeline::RingIntake intake_;
  auth::Sessions sessions_;
  auth::AuthThrottle throttle_;
  http::AccessPolicy access_;
  std::unique_ptr<pipeline::FaceAssessor> assessor_;      // empty without a camera; outlives what feeds it
  std::unique_ptr<capture::Camera> camera_;               // empty without camera.source
  std::unique_ptr<gallery::GalleryWatch> gallery_watch_;  // only with storage.backend postgres
  std::unique_ptr<pipeline::RecognitionWorkers> workers_;
  std::unique_ptr<trigger::GpioButton> button_;         // empty without gpio.chip
  std::unique_ptr<trigger::PresenceWatcher> presence_;  // empty unless presence.enabled
  std::unique_ptr<api::MjpegStream> stream_;            // outlives the server, whose responses refer to it
  http::Server server_;
  std::unique_ptr<Worker> http_worker_;  // started by run(), stopped first
  SystemdNotifier systemd_;
};

}  // namespace doorbell
