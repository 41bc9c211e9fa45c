// The daemon's HTTP API as an OpenAPI 3 document, served at /api/openapi.json (web/build.mjs compiles it
// into the binary). Every route of src/api/daemon_routes.cpp is here with its access level (x-access), and
// nothing else: tests/unit/api/openapi_test.cpp compares the two, tests/web/openapi_test.mjs validates
// the document. docs/api.md says the same in prose.

const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema) => ({ "application/json": { schema } });
const answer = (description, schema) => ({ description, content: json(schema) });
const error = (description) => answer(description, ref("Error"));
const image = (type, description) => ({ description, content: { [type]: { schema: { type: "string", format: "binary" } } } });
const id = (name, description) => ({ name, in: "path", required: true, description, schema: { type: "integer", minimum: 1 } });

const security = {
  open: [],
  metrics: [{}, { bearer: [] }],
  viewer: [{ bearer: [] }, { session: [] }],
  admin: [{ bearer: [] }, { session: [], csrf: [] }],
};
// An operation at an access level, with the answers every protected route can give.
function op(access, summary, responses, extra = {}) {
  const refusals = access === "open" ? {} : {
    401: error("no credential, or one that is not valid"),
    403: error("a credential whose role is not enough (or a session request without its CSRF token)"),
    429: error("too many failed authentications from this address"),
  };
  return { summary, "x-access": access, security: security[access], responses: { ...responses, ...refusals }, ...extra };
}
const upload = {
  required: true,
  description: "one image (JPEG or PNG) as the body, or multipart/form-data files",
  content: {
    "image/jpeg": { schema: { type: "string", format: "binary" } },
    "image/png": { schema: { type: "string", format: "binary" } },
    "multipart/form-data": { schema: { type: "object", additionalProperties: { type: "string", format: "binary" } } },
  },
};
const subject = { name: "subject", in: "path", required: true, description: "person-<id>, unknown or blacklisted",
  schema: { type: "string", pattern: "^(unknown|blacklisted|person-[0-9]{1,18})$" } };
const personPatch = { type: "object", properties: { name: { type: "string", maxLength: 64 }, kind: { type: "string", enum: ["known", "blacklist"] } } };

export default {
  openapi: "3.0.3",
  info: {
    title: "doorbelld",
    version: "1",
    description: "A doorbell security daemon: rings, visits, the face gallery and probes. Every error is " +
      "{\"error\": {\"status\", \"message\", \"code\"}}. See docs/api.md and docs/security.md.",
  },
  components: {
    securitySchemes: {
      bearer: { type: "http", scheme: "bearer", description: "http.api_token (admin), http.viewer_token, or http.metrics_token for /metrics" },
      session: { type: "apiKey", in: "cookie", name: "doorbell_session", description: "set by POST /api/login" },
      csrf: { type: "apiKey", in: "header", name: "X-CSRF-Token", description: "the session's csrf_token, on requests that change state" },
    },
    schemas: {
      Camera: {
        type: "object", required: ["configured", "state", "words"],
        properties: {
          configured: { type: "boolean" },
          state: { type: "string", enum: ["none", "connecting", "delivering", "lost"] },
          words: { type: "string", description: "the state in a sentence for people" },
          source: { type: "string", description: "camera.source, a password in it shown as ***" },
          since: { type: "string", format: "date-time", description: "when this state began (lost: the first failure)" },
          negotiated: { type: "object", description: "what the last open gave", properties: {
            kind: { type: "string", enum: ["folder", "v4l2", "stream", "file", "libcamera"] },
            format: { type: "string" }, width: { type: "integer" }, height: { type: "integer" },
            fps: { type: "number", description: "what the device or stream says it sends; 0 when it does not say" } } },
          problem: { type: "string", description: "while lost: why" },
          retry_seconds: { type: "number", description: "while lost: the wait between attempts" },
          rotation: { type: "integer", enum: [0, 90, 180, 270] },
          hflip: { type: "boolean" },
        },
      },
      Error: {
        type: "object", required: ["error"],
        properties: { error: { type: "object", required: ["status", "message"], properties: {
          status: { type: "integer" }, message: { type: "string" }, code: { type: "string" } } } },
      },
      Components: { type: "object", additionalProperties: { type: "object", properties: {
        state: { type: "string", enum: ["starting", "ready", "degraded", "not_ready", "failed", "stopped"] },
        fresh: { type: "boolean" }, failures: { type: "integer" }, detail: { type: "string" },
        heartbeat_age_seconds: { type: "number" } } } },
      Person: { type: "object", properties: { id: { type: "integer" }, name: { type: "string" }, kind: { type: "string", enum: ["known", "blacklist"] } } },
      PersonSummary: { allOf: [ref("Person"), { type: "object", properties: {
        samples: { type: "integer" }, created_at: { type: "string", format: "date-time" },
        thumbnail: { type: "string", nullable: true } } }] },
      Sample: { type: "object", properties: { id: { type: "integer" }, source: { type: "string" }, sharpness: { type: "number" },
        width_px: { type: "number" }, created_at: { type: "string", format: "date-time" }, image: { type: "string" } } },
      Box: { type: "object", properties: { x: { type: "integer" }, y: { type: "integer" }, width: { type: "integer" }, height: { type: "integer" } } },
      EventFace: { type: "object", properties: { result: { type: "string" }, name: { type: "string" }, distance: { type: "number" },
        votes: { type: "integer" }, frames: { type: "integer" }, box: ref("Box"), corrected: { type: "boolean" },
        visitor: { type: "object", description: "the visitor cluster of an unknown face, as of the ring",
          properties: { id: { type: "integer" }, seen: { type: "integer" }, ignored: { type: "boolean" } } } } },
      Visitor: { type: "object", properties: { id: { type: "integer" }, name: { type: "string", example: "Visitor 7" },
        ignored: { type: "boolean" }, seen: { type: "integer", description: "visits" }, faces: { type: "integer" },
        first_seen: { type: "string" }, last_seen: { type: "string" }, image: { type: "string", nullable: true } } },
      SeenFace: { type: "object", properties: { id: { type: "integer" }, event_id: { type: "integer", nullable: true },
        position: { type: "integer", description: "its index in the event's faces" }, time: { type: "string" },
        sharpness: { type: "number" }, width_px: { type: "number" }, person_id: { type: "integer", nullable: true },
        visitor_id: { type: "integer", nullable: true }, image: { type: "string" } } },
      Event: { type: "object", properties: {
        id: { type: "integer" }, door: { type: "string", description: "door.id of the door that rang" },
        time: { type: "string", format: "date-time" }, clock_synced: { type: "boolean" },
        source: { type: "string" }, kind: { type: "string", enum: ["blacklisted", "known", "unknown", "ignored", "no_face", "interrupted", "camera_unavailable"] },
        faces: { type: "array", items: ref("EventFace") }, names: { type: "array", items: { type: "string" } },
        snapshot: { type: "boolean" }, latency_seconds: { type: "number" } } },
      Delivery: { type: "object", properties: {
        channel: { type: "string" }, state: { type: "string", enum: ["pending", "delivered", "failed", "skipped"] },
        attempts: { type: "integer" }, idempotency_key: { type: "string" }, created_at: { type: "string" },
        next_attempt_at: { type: "string" }, last_error: { type: "string" }, reason: { type: "string" }, finished_at: { type: "string" } } },
      NotifyRule: { type: "object", properties: {
        subject: { type: "string", description: "person-<id>, unknown (strangers) or blacklisted" },
        channels: { type: "array", nullable: true, items: { type: "string" }, description: "null: every channel" },
        quiet_hours: { type: "string", description: "HH:MM-HH:MM local; empty: none" },
        snooze_until: { type: "string", description: "ISO 8601; empty: none" } } },
      IdentifiedFace: { type: "object", properties: { box: ref("Box"), result: { type: "string" }, name: { type: "string" },
        distance: { type: "number" }, quality: { type: "object" } } },
      AuditEntry: { type: "object", properties: {
        id: { type: "integer" }, time: { type: "string", format: "date-time" },
        door: { type: "string", description: "door.id of the door that recorded it (absent when door.id is not set)" },
        actor: { type: "object", properties: { name: { type: "string", example: "dana" },
          kind: { type: "string", enum: ["session", "token", "cli", "system", "anonymous"] },
          address: { type: "string", description: "the client's address; empty for cli and system" } } },
        action: { type: "string", example: "person.renamed" },
        object: { type: "object", properties: { type: { type: "string", example: "person" }, id: { type: "string" },
          name: { type: "string", description: "as it was named then" } } },
        detail: { type: "string", example: "was Sam" } } },
    },
  },
  paths: {
    "/": { get: op("open", "The web app's page", { 200: { description: "HTML", content: { "text/html": { schema: { type: "string" } } } } }) },
    "/app/{file}": { get: op("open", "The web app's script or style sheet, named after its content", {
      200: { description: "JavaScript or CSS, gzipped when accepted" }, 404: error("no such file in this build") },
      { parameters: [{ name: "file", in: "path", required: true, schema: { type: "string", pattern: "^[A-Za-z0-9._-]{1,64}$" } }] }) },
    "/api/openapi.json": { get: op("open", "This document", { 200: { description: "OpenAPI 3", content: json({ type: "object" }) } }) },
    "/api/health": { get: op("open", "Liveness: every worker lives", {
      200: answer("healthy", { type: "object", properties: { status: { type: "string" }, version: { type: "string" },
        uptime_seconds: { type: "number" }, components: ref("Components") } }),
      503: answer("a worker died", { type: "object" }) }) },
    "/api/ready": { get: op("open", "Readiness: every component ready and fresh", {
      200: answer("ready", { type: "object", properties: { status: { type: "string" }, components: ref("Components") } }),
      503: answer("not ready, naming what is not", { type: "object", properties: { status: { type: "string" }, components: ref("Components") } }) }) },
    "/metrics": { get: op("metrics", "Prometheus metrics (open while http.metrics_token is empty)", {
      200: { description: "text format 0.0.4", content: { "text/plain": { schema: { type: "string" } } } } }) },
    "/api/login": { post: op("open", "Log in: sets the session cookie", {
      200: answer("logged in", { type: "object", properties: { user: { type: "string" }, role: { type: "string" },
        csrf_token: { type: "string" }, expires_at: { type: "string" } } }),
      400: error("not a JSON object with user and password"), 401: error("wrong_password"),
      415: error("not application/json"), 429: error("locked out") },
      { requestBody: { required: true, content: json({ type: "object", required: ["user", "password"],
        properties: { user: { type: "string" }, password: { type: "string", format: "password" } } }) } }) },
    "/api/logout": { post: op("viewer", "End the session of the cookie", { 200: answer("logged out", { type: "object" }) }) },
    "/api/session": { get: op("viewer", "Who is asking", { 200: answer("the principal", { type: "object", properties: {
      name: { type: "string" }, role: { type: "string" }, via: { type: "string", enum: ["session", "token"] },
      user: { type: "string" }, csrf_token: { type: "string" }, expires_at: { type: "string" } } }) }) },
    "/api/ring": { post: op("admin", "Ring the doorbell", {
      202: answer("accepted", { type: "object", properties: { outcome: { type: "string" } } }),
      200: answer("coalesced with a ring just before", { type: "object" }), 503: error("refused: the queue is full") }) },
    "/api/events": { get: op("viewer", "Visits, newest first", {
      200: answer("a page of events", { type: "object", properties: { events: { type: "array", items: ref("Event") }, next: { type: "string" } } }),
      400: error("a malformed parameter") }, { parameters: [
      { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 50 } },
      { name: "before", in: "query", description: "an event id, for paging", schema: { type: "integer", minimum: 1 } },
      { name: "since", in: "query", description: "ISO 8601 date or time", schema: { type: "string" } },
      { name: "until", in: "query", description: "ISO 8601 date or time", schema: { type: "string" } },
      { name: "kind", in: "query", schema: { type: "string", enum: ["blacklisted", "known", "unknown", "ignored", "no_face", "interrupted", "camera_unavailable"] } },
      { name: "person", in: "query", description: "events that named this person", schema: { type: "string", maxLength: 256 } },
      { name: "visitor", in: "query", description: "events where this visitor cluster was seen", schema: { type: "integer", minimum: 1 } },
      { name: "door", in: "query", description: "events of this door (door.id), when doors share one database", schema: { type: "string", pattern: "^[a-z0-9-]{1,32}$" } }] }) },
    "/api/doors": { get: op("viewer", "The doors whose visits are in the records (several when doors share one database)", {
      200: answer("the doors, by id", { type: "object", properties: { doors: { type: "array", items: { type: "object",
        properties: { id: { type: "string" }, name: { type: "string", description: "door.name; empty if not known" } } } } } }) }) },
    "/api/events/{id}/faces": { get: op("viewer", "The faces seen at a visit, with their ids", {
      200: answer("its faces", { type: "object", properties: { faces: { type: "array", items: ref("SeenFace") } } }) },
      { parameters: [id("id", "event id")] }) },
    "/api/events/{id}": { get: op("viewer", "One visit with its notifications", {
      200: answer("the event", { allOf: [ref("Event"), { type: "object", properties: { deliveries: { type: "array", items: ref("Delivery") } } }] }),
      404: error("no such event") }, { parameters: [id("id", "event id")] }) },
    "/api/events/{id}/snapshot.jpg": { get: op("viewer", "A visit's annotated snapshot", {
      200: image("image/jpeg", "JPEG"), 404: error("no snapshot") }, { parameters: [id("id", "event id")] }) },
    "/api/snapshot.jpg": { get: op("viewer", "The latest camera frame", { 200: image("image/jpeg", "JPEG"), 503: error("the camera is unavailable") }) },
    "/api/camera": { get: op("viewer", "What the camera is doing, what it negotiated, and why not when it is not", {
      200: answer("the camera's state", ref("Camera")) }) },
    "/api/stream.mjpg": { get: op("viewer", "The live view", {
      200: { description: "multipart/x-mixed-replace JPEGs", content: { "multipart/x-mixed-replace": { schema: { type: "string", format: "binary" } } } },
      503: error("too_many_viewers") }) },
    "/api/people": {
      get: op("viewer", "The face gallery", { 200: answer("everyone", { type: "object", properties: { people: { type: "array", items: ref("PersonSummary") } } }) }),
      post: op("admin", "Add a person", { 201: answer("added", ref("Person")), 400: error("invalid_request"), 409: error("name_conflict") },
        { requestBody: { required: true, content: json({ ...personPatch, required: ["name"] }) } }),
    },
    "/api/people/{id}": {
      patch: op("admin", "Rename, or move between known and blacklist", {
        200: answer("the person", ref("Person")), 400: error("invalid_request"), 404: error("unknown_person"), 409: error("name_conflict") },
        { parameters: [id("id", "person id")], requestBody: { required: true, content: json(personPatch) } }),
      delete: op("admin", "Remove a person, their samples and face crops", {
        200: answer("removed", { type: "object" }), 404: error("unknown_person") }, { parameters: [id("id", "person id")] }),
    },
    "/api/people/{id}/faces": {
      get: op("viewer", "A person's samples", { 200: answer("samples, oldest first", { type: "object", properties: {
        samples: { type: "array", items: ref("Sample") } } }), 404: error("unknown_person") }, { parameters: [id("id", "person id")] }),
      post: op("admin", "Add photos of a person (each with exactly one usable face)", {
        201: answer("added", { type: "object", properties: { person: ref("Person"), samples_added: { type: "integer" } } }),
        400: error("invalid_request or truncated_image"), 404: error("unknown_person"), 413: error("image_too_large"),
        415: error("not_an_image"), 422: error("no_face, several_faces or poor_quality") },
        { parameters: [id("id", "person id")], requestBody: upload }),
    },
    "/api/people/{id}/faces/{sample}.jpg": { get: op("viewer", "A sample's aligned face", {
      200: image("image/jpeg", "150x150 JPEG"), 404: error("unknown_sample") },
      { parameters: [id("id", "person id"), id("sample", "sample id")] }) },
    "/api/people/{id}/faces/{sample}": { delete: op("admin", "Remove one sample", {
      200: answer("removed", { type: "object" }), 404: error("unknown_sample") },
      { parameters: [id("id", "person id"), id("sample", "sample id")] }) },
    "/api/visitors": { get: op("viewer", "Familiar faces: visitor clusters, the last seen first", {
      200: answer("visitors", { type: "object", properties: { visitors: { type: "array", items: ref("Visitor") } } }),
      400: error("a malformed parameter") }, { parameters: [
      { name: "since", in: "query", description: "seen at or after (ISO 8601 date or time)", schema: { type: "string" } },
      { name: "until", in: "query", description: "seen before", schema: { type: "string" } },
      { name: "ignored", in: "query", schema: { type: "boolean" } },
      { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } }] }) },
    "/api/visitors/{id}": {
      get: op("viewer", "A visitor cluster and its faces", {
        200: answer("the visitor", { allOf: [ref("Visitor"), { type: "object", properties: { face_list: { type: "array", items: ref("SeenFace") } } }] }),
        404: error("unknown_visitor") }, { parameters: [id("id", "visitor id")] }),
      patch: op("admin", "Ignore a visitor (never notified as unknown, never taken for a family member) or stop ignoring", {
        200: answer("the visitor", ref("Visitor")), 400: error("invalid_request"), 404: error("unknown_visitor") },
        { parameters: [id("id", "visitor id")], requestBody: { required: true, content: json({ type: "object", required: ["ignored"],
          properties: { ignored: { type: "boolean" } } }) } }),
      delete: op("admin", "Delete a visitor cluster with its faces (the visits stay)", {
        200: answer("removed", { type: "object" }), 404: error("unknown_visitor") }, { parameters: [id("id", "visitor id")] }),
    },
    "/api/visitors/{id}/merge": { post: op("admin", "Merge another visitor into this one", {
      200: answer("the visitor", ref("Visitor")), 400: error("invalid_request"), 404: error("unknown_visitor") },
      { parameters: [id("id", "visitor id")], requestBody: { required: true, content: json({ type: "object", required: ["from"],
        properties: { from: { type: "integer" } } }) } }) },
    "/api/visitors/{id}/name": { post: op("admin", "Name a visitor: their best faces become a person's samples, their visits are relabelled", {
      200: answer("named", { type: "object", properties: { person: ref("Person"), faces_named: { type: "integer" }, samples_added: { type: "integer" } } }),
      400: error("invalid_request"), 404: error("unknown_visitor"), 409: error("name_conflict") },
      { parameters: [id("id", "visitor id")], requestBody: { required: true, content: json({ ...personPatch, required: ["name"] }) } }) },
    "/api/faces/{id}.jpg": { get: op("viewer", "A face seen at the door, cropped from its frame", {
      200: image("image/jpeg", "JPEG, at most 160x160"), 404: error("unknown_face") }, { parameters: [id("id", "face id")] }) },
    "/api/faces/{id}/identity": { post: op("admin", "Correct a face seen at the door: this is Sam / this is not Dana / not this visitor", {
      200: answer("the face", ref("SeenFace")), 400: error("invalid_request"), 404: error("unknown_face or unknown_person"), 409: error("name_conflict") },
      { parameters: [id("id", "face id")], requestBody: { required: true, content: json({ oneOf: [
        { ...personPatch, required: ["name"], description: "this is ... (enrols the face; creates the person if needed)" },
        { type: "object", required: ["not"], properties: { not: { type: "integer", description: "a person id: this is not them" } } },
        { type: "object", required: ["visitor"], properties: { visitor: { type: "string", enum: ["new"], description: "out of its visitor cluster" } } }] }) } }) },
    "/api/notify/rules": { get: op("viewer", "The household's notification rules, and the channels there are", {
      200: answer("rules", { type: "object", properties: { rules: { type: "array", items: ref("NotifyRule") },
        channels: { type: "array", items: { type: "string" } } } }) }) },
    "/api/notify/rules/{subject}": {
      put: op("admin", "Set who is told of a person, of strangers or of the blacklist, quiet hours and a snooze (waiting at the door only: a ring is always told)", {
        200: answer("the rule", ref("NotifyRule")), 400: error("a malformed rule, or silencing the blacklist"), 404: error("unknown_person") },
        { parameters: [subject], requestBody: { required: true, content: json({ type: "object", properties: {
          channels: { type: "array", nullable: true, minItems: 1, items: { type: "string" } },
          quiet_hours: { type: "string", example: "22:00-07:00" }, snooze_until: { type: "string", example: "2026-12-24T18:00:00Z" } } }) } }),
      delete: op("admin", "Remove a rule", { 200: answer("removed", { type: "object" }), 404: error("unknown_rule") }, { parameters: [subject] }),
    },
    "/api/audit": { get: op("admin", "The audit trail: who logged in, and who changed what, newest first", {
      200: answer("a page of entries", { type: "object", properties: { entries: { type: "array", items: ref("AuditEntry") }, next: { type: "string" } } }),
      400: error("a malformed parameter") }, { parameters: [
      { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 50 } },
      { name: "before", in: "query", description: "an entry id, for paging", schema: { type: "integer", minimum: 1 } },
      { name: "since", in: "query", description: "ISO 8601 date or time", schema: { type: "string" } },
      { name: "until", in: "query", description: "ISO 8601 date or time", schema: { type: "string" } },
      { name: "action", in: "query", description: "an action (person.renamed) or its first word (person: every person.… action)", schema: { type: "string", pattern: "^[a-z_.]{1,40}$" } },
      { name: "actor", in: "query", description: "exactly this actor (a user name, admin token, cli:root …)", schema: { type: "string" } },
      { name: "object_type", in: "query", schema: { type: "string", enum: ["person", "visitor", "face", "user", "rule", "database", "config"] } },
      { name: "object_id", in: "query", description: "with object_type: one object's history", schema: { type: "string" } }] }) },
    "/api/identify": { post: op("admin", "Name the faces in an image", {
      200: answer("the faces", { type: "object", properties: { faces: { type: "array", items: ref("IdentifiedFace") } } }),
      400: error("invalid_request"), 413: error("image_too_large"), 415: error("not_an_image") }, { requestBody: upload }) },
  },
};
