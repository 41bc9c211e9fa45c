#pragma once
// Config: the daemon's immutable settings, one struct per section of the JSON file. The member
// initialisers are the documented defaults (config/doorbelld.example.json mirrors them); durations are
// std::chrono types in the unit their key names. A value type.

#include <chrono>
#include <cstdint>
#include <ratio>
#include <string>

namespace doorbell {

// Durations as the configuration gives them: a number of the key's unit, fractions allowed.
using Milliseconds = std::chrono::duration<double, std::milli>;
using Seconds = std::chrono::duration<double>;
using Hours = std::chrono::duration<double, std::ratio<3600>>;
using Days = std::chrono::duration<double, std::ratio<86400>>;

struct HttpConfig {
  std::string bind_address = "127.0.0.1";
  int port = 8080;
  int threads = 4;
  std::int64_t max_body_bytes = std::int64_t{10} * 1024 * 1024;
  Seconds request_timeout_seconds{10.0};
  std::string api_token;  // secret: the admin bearer token; never logged, masked by --print-config
  std::string api_token_file;
  std::string viewer_token;  // secret: a read-only bearer token (events, snapshots, stream, people)
  std::string viewer_token_file;
  std::string metrics_token;  // secret: when set, GET /metrics needs it (or the admin token)
  std::string metrics_token_file;
  int stream_max_clients = 2;            // GET /api/stream.mjpg viewers at once; more get 503; 0 turns it off
  double stream_fps = 5;                 // frames per second sent to each viewer
  int max_connections = 256;             // client connections at once; beyond, idle and slow ones are closed
  Seconds header_timeout_seconds{10.0};  // a request line and headers must arrive within this
  Seconds keep_alive_seconds{5.0};       // an idle connection is closed after this
  std::string tls_cert;  // PEM certificate chain: serve HTTPS (plain HTTP gets the probes and a redirect)
  std::string tls_key;   // PEM private key of tls_cert
};

struct AuthConfig {
  Hours session_hours{720};             // a login lasts this long (30 days)
  int max_failures = 5;                 // failed authentications from one address before a lockout
  Seconds failure_window_seconds{300};  // within this time
  Seconds lockout_seconds{60};          // first lockout; doubles with each further failure, at most 1 h
};

struct AuditConfig {
  Days keep_days{365};  // audit entries older than this are deleted (0: kept for ever)
};

struct LogConfig {
  std::string level = "info";   // trace, debug, info, warn, error, critical, off
  std::string format = "text";  // text or json
  std::string file;             // empty: stderr
  std::int64_t file_max_bytes = std::int64_t{10} * 1024 * 1024;
  int file_count = 3;
};

struct DaemonConfig {
  Seconds shutdown_timeout_seconds{10.0};
  Seconds heartbeat_timeout_seconds{10.0};
};

// This daemon's door, when several doors share one household's records (storage.backend postgres).
struct DoorConfig {
  std::string id;  // unique among doors sharing a database: [a-z0-9-], 1-32; empty: the only door
  std::string name = "Front door";  // as the household calls it, in notifications and the app
};

struct StorageConfig {
  std::string data_dir = "/var/lib/doorbelld";  // SQLite database and face sample images
  std::string backend = "sqlite";  // sqlite: records in data_dir; postgres: in a database doors share
  std::string postgres;            // secret: a libpq connection string (keywords or a postgresql:// URI)
  std::string postgres_file;       // or a file holding it
  Days retention_days{30};         // events older than this are deleted; 0 keeps them all
  double max_snapshot_megabytes = 2048;  // oldest snapshots beyond this are deleted; 0: no limit
  Seconds prune_interval_seconds{3600};  // how often retention runs (and once at start)
  double min_free_megabytes = 64;        // less free space makes /api/ready 503 (storage)
  Seconds check_interval_seconds{10};    // how often free space and folders are checked
  int spool_events = 200;                // events held in memory while storage fails
  std::string backup_dir;                // scheduled backups; empty: <data_dir>/backups
  Hours backup_interval_hours{24};       // a database backup this often (BackupSchedule); 0: none
  int backup_keep = 3;                   // the newest backups kept
};

struct RecognitionConfig {
  std::string resnet_model = "/var/lib/doorbelld/models/dlib_face_recognition_resnet_model_v1.dat";
  std::string landmarks_model = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";  // 68 or 5 points
  int upsample = 0;              // HOG pyramid doublings: finds smaller faces, ~4x slower each
  int min_face_px = 80;          // narrower faces are ignored by the quality gate
  double min_sharpness = 60.0;   // variance of the Laplacian of the aligned face
  double max_yaw = 0.45;         // 0 frontal, 1 profile
  double match_threshold = 0.6;  // Euclidean distance between descriptors
  double match_margin = 0.04;    // best person must beat the second best by this much
  double roi_x = 0.0;            // region of interest, as fractions of the frame
  double roi_y = 0.0;
  double roi_width = 1.0;
  double roi_height = 1.0;
};

// Familiar faces: unknown faces grouped into visitor clusters ("Visitor 7, seen 5 times").
struct VisitorsConfig {
  double threshold = 0.4;  // a face joins the cluster of its nearest face within this distance
  Days keep_days{30};      // clusters not named, not ignored and not seen for this long go, with their faces
};

struct CameraConfig {
  // Empty: no camera. A directory: its images replayed in name order. "libcamera" or "libcamera:<id>": the
  // Raspberry Pi Camera Module. A number or /dev/videoN: a V4L2 device. Anything else: a video file or an
  // rtsp:// or http:// stream (FFmpeg).
  std::string source;
  double fps = 5.0;  // frames taken per second (a folder or file is replayed at this rate)
  int width = 640;   // requested from V4L2 and libcamera cameras
  int height = 480;
  std::string rtsp_transport = "tcp";  // how an rtsp:// stream's packets come: "tcp" or "udp"
  int rotation = 0;    // degrees clockwise the picture is turned (0, 90, 180, 270): a camera mounted sideways
  bool hflip = false;  // mirrored left to right (after rotation)
  bool loop = true;    // start a folder or file again at its end
  Seconds preroll_seconds{2.0};         // frames kept from before a ring
  Seconds reconnect_max_seconds{30.0};  // exponential backoff ceiling after the source fails

  // "libcamera" or "libcamera:<id>": the source is a libcamera camera.
  bool libcamera() const { return source == "libcamera" || source.starts_with("libcamera:"); }
};

struct GpioConfig {
  std::string chip;                // empty: no button; e.g. "gpiochip0" or "/dev/gpiochip0"
  int line = 17;                   // line offset on the chip (BCM number on a Raspberry Pi)
  bool active_low = true;          // pressed pulls the line to ground
  std::string bias = "pull-up";    // pull-up, pull-down, disable or as-is
  Milliseconds debounce_ms{30.0};  // quiet time after the last edge before the level is read
  Seconds long_press_seconds{2.0};
};

struct PipelineConfig {
  int workers = 0;                  // recognition workers; 0 = one per CPU core
  int queue_capacity = 32;          // rings waiting for a worker; more are refused, counted and logged
  Seconds hold_off_seconds{3.0};    // rings closer than this to the last accepted one are coalesced
  double assess_fps = 5.0;          // most camera frames a second whose faces are found before any ring
  double assess_cpu_share = 0.5;    // and at most this share of one CPU spent finding them
  int preroll_frames = 3;           // newest assessed pre-roll frames considered for a ring
  int frames_after_ring = 2;        // without a usable face among them, frames after it are waited for
  Seconds frame_wait_seconds{2.0};  // longest wait for those frames
  int recognise_frames = 3;         // of those, the ones with the largest, sharpest faces are recognised
};

// Motion first: the face assessor looks for faces only while something moves at the door (or a face was
// seen lately), so an empty doorstep costs next to nothing. The zone is recognition's region of interest.
struct MotionConfig {
  bool enabled = true;
  double threshold = 25;      // grey levels (0-255) a small pixel must change by to count
  double min_area = 0.005;    // share of the zone that must change to be motion
  Seconds hold_seconds{5.0};  // the assessor keeps looking this long after the last motion or face
};

struct PresenceConfig {
  bool enabled = false;             // ring as "presence" when a face stays at the door without a ring
  double check_fps = 1.0;           // face checks per second on the newest frame
  Seconds dwell_seconds{5.0};       // how long a face must stay
  Seconds gap_seconds{2.0};         // longest run without a face that still counts as the same visit
  Seconds cooldown_seconds{120.0};  // least time between two presence rings
};

// Which event kinds a channel is told about: a comma-separated list of event kinds (model/event_kind.hpp);
// all of them by default.
inline constexpr const char* kAllKinds =
    "blacklisted,known,unknown,ignored,no_face,interrupted,camera_unavailable";

struct NotifyConfig {
  std::string public_url;            // how receivers reach this daemon, for snapshot links; empty: no links
  Seconds cooldown_seconds{60};      // the same visitor (or "unknown", or "no face") notified once per this
  std::string quiet_hours;           // local "HH:MM-HH:MM": only blacklist notifications then; empty: none
  Seconds retry_initial_seconds{2};  // first retry delay; doubles per attempt, with jitter
  Seconds retry_max_seconds{300};
  Hours give_up_hours{24};     // a delivery still failing this long after its event is recorded failed
  Seconds timeout_seconds{5};  // per attempt
  std::string ca_file;         // PEM CAs trusted for HTTPS receivers instead of the system's; empty: system
};

struct WebhookConfig {
  std::string url;     // empty: off
  std::string secret;  // secret: HMAC-SHA256 key for the X-Doorbell-Signature header
  std::string kinds = kAllKinds;
  bool inline_image = false;  // add the snapshot as base64 to the JSON
};

struct NtfyConfig {
  std::string url;    // topic URL, e.g. https://ntfy.sh/my-door; empty: off
  std::string token;  // secret: access token, optional
  std::string kinds = kAllKinds;
};

struct TelegramConfig {
  std::string api_url = "https://api.telegram.org";
  std::string bot_token;  // secret; with chat_id turns the channel on
  std::string chat_id;
  std::string kinds = kAllKinds;
};

struct MqttConfig {
  std::string host;  // empty: off
  int port = 1883;
  std::string username;
  std::string password;     // secret
  bool tls = false;         // connect with TLS (the broker's port for it is usually 8883)
  std::string tls_ca_file;  // PEM CAs that verify the broker; empty: the system's CA certificates
  std::string topic_prefix = "doorbelld";
  std::string discovery_prefix = "homeassistant";  // empty: no Home Assistant discovery
  std::string node_id = "doorbelld";
  std::string kinds = kAllKinds;
};

struct TracingConfig {
  bool enabled = false;  // export spans over OTLP/HTTP
  std::string endpoint = "http://localhost:4318/v1/traces";
  std::string sampler = "always_on";  // always_on, always_off or ratio; a sampled parent decides first
  double ratio = 1.0;                 // for the ratio sampler
  bool gzip = false;                  // compress requests
  Seconds timeout_seconds{5};         // per request
  int queue_capacity = 2048;          // spans waiting; more are dropped and counted
  int batch_size = 256;
  Seconds flush_interval_seconds{2};
  std::string resource_attributes;  // extra resource attributes: "key=value,key=value"
};

struct Config {
  HttpConfig http;
  AuthConfig auth;
  AuditConfig audit;
  LogConfig log;
  DaemonConfig daemon;
  DoorConfig door;
  StorageConfig storage;
  RecognitionConfig recognition;
  VisitorsConfig visitors;
  CameraConfig camera;
  GpioConfig gpio;
  PipelineConfig pipeline;
  MotionConfig motion;
  PresenceConfig presence;
  NotifyConfig notify;
  WebhookConfig webhook;
  NtfyConfig ntfy;
  TelegramConfig telegram;
  MqttConfig mqtt;
  TracingConfig tracing;
};

}  // namespace doorbell
