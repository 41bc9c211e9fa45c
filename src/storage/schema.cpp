#include "doorbell/storage/schema.hpp"

#include <array>

namespace doorbell::storage {
namespace {

// Append only: a released migration is never edited.
constexpr std::array<std::string_view, 18> kSqliteMigrations{
    R"sql(
CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind TEXT NOT NULL CHECK (kind IN ('known', 'blacklist')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE face_samples (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  descriptor BLOB NOT NULL CHECK (length(descriptor) = 512),
  sharpness REAL NOT NULL,
  width_px REAL NOT NULL,
  source TEXT NOT NULL,
  image_path TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX face_samples_person ON face_samples (person_id);
)sql",
    R"sql(
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  source TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('blacklisted', 'known', 'unknown', 'no_face')),
  faces TEXT NOT NULL,
  names TEXT NOT NULL,
  snapshot_path TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  latency_seconds REAL NOT NULL
);
CREATE INDEX events_time ON events (time);
)sql",
    R"sql(
ALTER TABLE events ADD COLUMN snapshot_bytes INTEGER NOT NULL DEFAULT 0;
)sql",
    R"sql(
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  channel TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'skipped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  finished_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deliveries_due ON deliveries (channel, state, next_attempt_at);
CREATE INDEX deliveries_event ON deliveries (event_id);
)sql",
    R"sql(
ALTER TABLE events ADD COLUMN span_id TEXT NOT NULL DEFAULT '';
)sql",
    R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
  password TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  address TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
)sql",
    R"sql(
CREATE TABLE storage_probe (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  checked_at TEXT NOT NULL
);
)sql",
    // Every committed change to the gallery, by any connection or process (the CLI), moves the
    // generation on: readers reload their index when it moved.
    R"sql(
CREATE TABLE gallery_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL
);
INSERT INTO gallery_generation (id, generation) VALUES (1, 0);
CREATE TRIGGER people_inserted AFTER INSERT ON people
  BEGIN UPDATE gallery_generation SET generation = generation + 1; END;
CREATE TRIGGER people_updated AFTER UPDATE ON people
  BEGIN UPDATE gallery_generation SET generation = generation + 1; END;
CREATE TRIGGER people_deleted AFTER DELETE ON people
  BEGIN UPDATE gallery_generation SET generation = generation + 1; END;
CREATE TRIGGER face_samples_inserted AFTER INSERT ON face_samples
  BEGIN UPDATE gallery_generation SET generation = generation + 1; END;
CREATE TRIGGER face_samples_deleted AFTER DELETE ON face_samples
  BEGIN UPDATE gallery_generation SET generation = generation + 1; END;
)sql",
    // The ring journal: a ring is written here when it is accepted and deleted in the transaction that
    // stores its decision, so a ring the process did not live to decide is found at the next start. A
    // new event kind for those, `interrupted`: events is rebuilt (foreign keys are off while migrating).
    R"sql(
CREATE TABLE rings (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  source TEXT NOT NULL,
  trace_id TEXT NOT NULL DEFAULT '',
  span_id TEXT NOT NULL DEFAULT ''
);
CREATE TABLE events_rebuilt (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  source TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('blacklisted', 'known', 'unknown', 'no_face', 'interrupted')),
  faces TEXT NOT NULL,
  names TEXT NOT NULL,
  snapshot_path TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  latency_seconds REAL NOT NULL,
  snapshot_bytes INTEGER NOT NULL DEFAULT 0,
  span_id TEXT NOT NULL DEFAULT ''
);
INSERT INTO events_rebuilt (id, time, source, kind, faces, names, snapshot_path, trace_id, latency_seconds,
                            snapshot_bytes, span_id)
  SELECT id, time, source, kind, faces, names, snapshot_path, trace_id, latency_seconds, snapshot_bytes, span_id
  FROM events;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;
CREATE INDEX events_time ON events (time);
)sql",
    // Whether an event's (and a journaled ring's) time came from a synchronised wall clock — a Raspberry
    // Pi stamps a stale time from boot until NTP answers — so that retention does not judge an event's
    // age by it (EventStore::prune). Rows from before are taken as synchronised.
    R"sql(
ALTER TABLE events ADD COLUMN clock_synced INTEGER NOT NULL DEFAULT 1;
ALTER TABLE rings ADD COLUMN clock_synced INTEGER NOT NULL DEFAULT 1;
)sql",
    // A new event kind, `camera_unavailable`: a ring while the camera gave no fresh frame. events is
    // rebuilt for its CHECK (foreign keys are off while migrating).
    R"sql(
CREATE TABLE events_rebuilt (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  source TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('blacklisted', 'known', 'unknown', 'no_face', 'interrupted',
                                     'camera_unavailable')),
  faces TEXT NOT NULL,
  names TEXT NOT NULL,
  snapshot_path TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  latency_seconds REAL NOT NULL,
  snapshot_bytes INTEGER NOT NULL DEFAULT 0,
  span_id TEXT NOT NULL DEFAULT '',
  clock_synced INTEGER NOT NULL DEFAULT 1
);
INSERT INTO events_rebuilt (id, time, source, kind, faces, names, snapshot_path, trace_id, latency_seconds,
                            snapshot_bytes, span_id, clock_synced)
  SELECT id, time, source, kind, faces, names, snapshot_path, trace_id, latency_seconds, snapshot_bytes, span_id,
         clock_synced
  FROM events;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;
CREATE INDEX events_time ON events (time);
)sql",
    // Familiar faces. Every described face of every event, with its descriptor and a crop of the frame:
    // the person it was named as (removing them removes it), or the visitor cluster (unknown faces that
    // belong together) it joined.
    // A face outlives its event (event_id set to NULL) only while its cluster is ignored: those faces keep
    // the postman from being named or notified. Negatives: faces someone said are not that person. Ids are
    // never reused: "Visitor 7" in an old notification is nobody else. A new event kind, `ignored` (every
    // face an ignored visitor): events is rebuilt for its CHECK (foreign keys are off while migrating).
    // Notification rules per person (deleted with them), for strangers and for the blacklist. A visitor the
    // household split off is `separate`: never merged again by the periodic pass.
    R"sql(
CREATE TABLE visitors (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ignored INTEGER NOT NULL DEFAULT 0,
  separate INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE event_faces (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id INTEGER REFERENCES events (id) ON DELETE SET NULL,
  position INTEGER NOT NULL,
  descriptor BLOB NOT NULL CHECK (length(descriptor) = 512),
  sharpness REAL NOT NULL,
  width_px REAL NOT NULL,
  crop BLOB NOT NULL,
  person_id INTEGER REFERENCES people (id) ON DELETE CASCADE,
  visitor_id INTEGER REFERENCES visitors (id) ON DELETE SET NULL,
  UNIQUE (event_id, position)
);
CREATE INDEX event_faces_person ON event_faces (person_id, event_id);
CREATE INDEX event_faces_visitor ON event_faces (visitor_id, event_id);
CREATE TABLE face_negatives (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  descriptor BLOB NOT NULL CHECK (length(descriptor) = 512),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX face_negatives_person ON face_negatives (person_id);
CREATE TRIGGER face_negatives_inserted AFTER INSERT ON face_negatives
  BEGIN UPDATE gallery_generation SET generation = generation + 1; END;
CREATE TRIGGER face_negatives_deleted AFTER DELETE ON face_negatives
  BEGIN UPDATE gallery_generation SET generation = generation + 1; END;
CREATE TABLE events_rebuilt (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  source TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('blacklisted', 'known', 'unknown', 'ignored', 'no_face', 'interrupted',
                                     'camera_unavailable')),
  faces TEXT NOT NULL,
  names TEXT NOT NULL,
  snapshot_path TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  latency_seconds REAL NOT NULL,
  snapshot_bytes INTEGER NOT NULL DEFAULT 0,
  span_id TEXT NOT NULL DEFAULT '',
  clock_synced INTEGER NOT NULL DEFAULT 1
);
INSERT INTO events_rebuilt (id, time, source, kind, faces, names, snapshot_path, trace_id, latency_seconds,
                            snapshot_bytes, span_id, clock_synced)
  SELECT id, time, source, kind, faces, names, snapshot_path, trace_id, latency_seconds, snapshot_bytes, span_id,
         clock_synced
  FROM events;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;
CREATE INDEX events_time ON events (time);
CREATE TABLE notify_rules (
  subject TEXT PRIMARY KEY,
  person_id INTEGER REFERENCES people (id) ON DELETE CASCADE,
  channels TEXT NOT NULL DEFAULT '',
  quiet_hours TEXT NOT NULL DEFAULT '',
  snooze_until TEXT NOT NULL DEFAULT ''
);
)sql",
    // Each event's door (door.id): several doors may share one household's records. Events from before
    // are this door's. A delivery is claimed by the door sending it, until a time (Outbox::claim).
    R"sql(
ALTER TABLE events ADD COLUMN door TEXT NOT NULL DEFAULT '';
CREATE INDEX events_door ON events (door, id);
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN claimed_until TEXT NOT NULL DEFAULT '';
)sql",
    // A door on a shared PostgreSQL database keeps the events it holds while that database is away here,
    // on its own disk (SpoolFile): the event as CBOR, its deliveries as JSON, its snapshot's bytes. A held
    // event names its ring: ring ids are never used twice from now on (AUTOINCREMENT), so a ring the
    // journal recorded after it cannot be taken for its ring.
    R"sql(
CREATE TABLE rings_rebuilt (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time TEXT NOT NULL,
  source TEXT NOT NULL,
  trace_id TEXT NOT NULL DEFAULT '',
  span_id TEXT NOT NULL DEFAULT '',
  clock_synced INTEGER NOT NULL DEFAULT 1
);
INSERT INTO rings_rebuilt (id, time, source, trace_id, span_id, clock_synced)
  SELECT id, time, source, trace_id, span_id, clock_synced FROM rings;
DROP TABLE rings;
ALTER TABLE rings_rebuilt RENAME TO rings;
CREATE TABLE spooled_events (
  id INTEGER PRIMARY KEY,
  event BLOB NOT NULL,
  deliveries TEXT NOT NULL,
  snapshot BLOB NOT NULL,
  snapshot_file TEXT NOT NULL
);
)sql",
    // Each event's own idempotency key, chosen when it is decided: storing it again (the spool, after a
    // commit whose answer was lost) finds it, with or without deliveries. Events from before have none.
    R"sql(
ALTER TABLE events ADD COLUMN idempotency_key TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX events_idempotency_key ON events (idempotency_key) WHERE idempotency_key != '';
)sql",
    // The doors whose events are in the records, with the name each last stored one under (door.name), for
    // the app's door filter; the doors of the events from before, unnamed.
    R"sql(
CREATE TABLE doors (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT ''
);
INSERT INTO doors (id) SELECT DISTINCT door FROM events WHERE door != '';
)sql",
    // Logins are compared by their name's key (NFKC, case folded: "José" = "JOSÉ", names.hpp), one user
    // per key. UserStore fills the keys of the users from before when it opens the database.
    R"sql(
ALTER TABLE users ADD COLUMN name_key TEXT;
CREATE UNIQUE INDEX users_name_key ON users (name_key);
)sql",
    // The audit trail (AuditStore): who changed what, when, from where. Rows are appended and pruned by
    // age, never changed.
    R"sql(
CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  door TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  actor_kind TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  object_type TEXT NOT NULL DEFAULT '',
  object_id TEXT NOT NULL DEFAULT '',
  object_name TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_time ON audit (time);
CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql"};

}  // namespace

std::span<const std::string_view> schema_migrations() {
  return kSqliteMigrations;
}

}  // namespace doorbell::storage
