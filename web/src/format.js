// How the app words things for a household: who came, when, and what each part of the daemon is doing.

const kindWords = {
  known: "Known",
  unknown: "Stranger",
  ignored: "Ignored visitor",
  blacklisted: "Blacklisted",
  no_face: "No face seen",
  interrupted: "Interrupted",
  camera_unavailable: "Camera down",
};

export const eventKinds = Object.keys(kindWords);

export function kindLabel(kind) {
  return kindWords[kind] ?? kind;
}

// A face of an event: its person's name, "Visitor 7" for a stranger seen before, else "Stranger".
export function faceName(face) {
  if (face.name) return face.name;
  if (face.visitor) return `Visitor ${face.visitor.id}`;
  return kindLabel(face.result);
}

// "Dana", "Dana and Sam", "Visitor 7", or what the ring was when nobody was named.
export function visitorName(event) {
  if (event.names?.length) return event.names.join(" and ");
  const visitors = (event.faces ?? []).filter((f) => f.visitor).map(faceName);
  if (visitors.length) return visitors.join(" and ");
  return kindLabel(event.kind);
}

// An ISO time at local midnight of a date input's value ("2026-11-03"), `days` later: the daemon keeps
// UTC, the household thinks in its own days.
export function localMidnight(date, days = 0) {
  const d = new Date(`${date}T00:00`);
  d.setDate(d.getDate() + days);
  return d.toISOString();
}

// "seen once", "seen 5 times".
export function visits(n) {
  return n === 1 ? "seen once" : `seen ${n} times`;
}

export function when(iso) {
  const date = new Date(iso);
  const today = new Date();
  const time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  if (date.toDateString() === today.toDateString()) return `today ${time}`;
  return `${date.toLocaleDateString([], { day: "numeric", month: "short", year: "numeric" })} ${time}`;
}

// The daemon's components, grouped as a homeowner sees the door.
const groups = [
  { title: "Camera", match: (name) => name === "camera" },
  { title: "Doorbell button", match: (name) => name === "gpio" || name === "presence" },
  { title: "Face recognition", match: (name) => name === "recognition" || name === "face_assessor" || name.startsWith("recognition_worker") },
  { title: "Notifications", match: (name) => name.startsWith("notify_") || name === "spool" },
  { title: "Recording", match: (name) => name === "storage" || name === "retention" },
  { title: "The daemon itself", match: () => true },
];

const stateWords = { ready: "working", degraded: "working with less", starting: "starting", not_ready: "not working", failed: "stopped with an error", stopped: "stopped" };

// [{title, ok, words}] from GET /api/ready's components.
export function readiness(components) {
  const seen = new Set();
  const out = [];
  for (const group of groups) {
    const members = Object.entries(components).filter(([name]) => !seen.has(name) && group.match(name));
    if (!members.length) continue;
    members.forEach(([name]) => seen.add(name));
    const broken = members.filter(([, c]) => c.state !== "ready" || !c.fresh);
    const words = broken.length === 0 ? "working"
      : broken.map(([, c]) => c.detail || (c.fresh ? stateWords[c.state] ?? c.state : "not responding")).join("; ");
    out.push({ title: group.title, ok: broken.length === 0, words });
  }
  if (!out.some((part) => part.title === "Doorbell button")) {
    out.splice(1, 0, { title: "Doorbell button", ok: true, words: "none connected: rings come from this app" });
  }
  return out;
}
