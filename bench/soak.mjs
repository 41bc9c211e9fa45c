// Soak benchmark: the real daemon for a long while under a household's load and a little more — a ring
// every few seconds (image-folder camera, real models), HTTP readers every second, retention passes every
// 30 s that keep deleting snapshots, and a webhook receiver that goes down for 20 s of every minute.
// Prints RSS, open file descriptors and press → notification latency after the warm-up and at the end,
// and checks the targets: RSS growth ≤ 1 MB, no fd growth, no latency drift (p50 of the last fifth within
// 25 % of the first fifth's, or 50 ms).
// Usage: node bench/soak.mjs DOORBELLD MODELS_DIR PORTRAIT.jpg [--minutes 30] [--warmup 2] [--every 3]
// (scripts/soak.sh runs it on a release build). Exit 0 when every target is met, 1 otherwise.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, copyFileSync, writeFileSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [binary, models, portrait, ...rest] = process.argv.slice(2);
if (!portrait) {
  console.error("usage: node bench/soak.mjs DOORBELLD MODELS_DIR PORTRAIT.jpg [--minutes N] [--warmup N] [--every S]");
  process.exit(2);
}
const option = (name, fallback) => {
  const i = rest.indexOf(name);
  return i >= 0 ? Number(rest[i + 1]) : fallback;
};
const minutes = option("--minutes", 30);
const warmupMinutes = option("--warmup", 2);
const everySeconds = option("--every", 3);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const work = mkdtempSync(join(tmpdir(), "doorbell-soak-"));
mkdirSync(join(work, "camera"));
copyFileSync(portrait, join(work, "camera", "frame.jpg"));

// The webhook receiver: arrival latency of every notification, from the ring's time in its body.
const latencies = []; // [secondsSinceStart, ms, whether the receiver was up when the ring came]
const started = Date.now();
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    try {
      const rang = Date.parse(JSON.parse(body).time);
      const up = Math.floor((rang - started) / 1000) % 60 < 38; // not rung into (or just before) an outage
      latencies.push([(Date.now() - started) / 1000, Date.now() - rang, up]);
    } catch {}
    res.end("{}");
  });
});
let hookPort = 0; // chosen by the first listen, kept by the next ones: the daemon retries into it
const listen = () => new Promise((r) => receiver.listen(hookPort, "127.0.0.1", r));
await listen();
hookPort = receiver.address().port;

const port = 20000 + Math.floor(Math.random() * 20000);
const token = "soak-token";
writeFileSync(
  join(work, "doorbelld.json"),
  JSON.stringify({
    http: { port, bind_address: "127.0.0.1", api_token: token },
    camera: { source: join(work, "camera"), fps: 10 },
    storage: { data_dir: join(work, "data"), prune_interval_seconds: 30, max_snapshot_megabytes: 1, min_free_megabytes: 0 },
    recognition: {
      resnet_model: join(models, "dlib_face_recognition_resnet_model_v1.dat"),
      landmarks_model: join(models, "shape_predictor_68_face_landmarks.dat"),
    },
    pipeline: { hold_off_seconds: 0, workers: 1 },
    notify: { cooldown_seconds: 0, retry_initial_seconds: 1, retry_max_seconds: 4 },
    webhook: { url: `http://127.0.0.1:${hookPort}/hook`, secret: "s" },
    log: { level: "warn" },
  }),
);
const daemon = spawn(binary, ["--config", join(work, "doorbelld.json")], { stdio: ["ignore", "ignore", "pipe"] });
let stderr = "";
daemon.stderr.on("data", (d) => (stderr = (stderr + d).slice(-20000)));
const stop = () => {
  daemon.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
};
process.on("SIGINT", () => {
  stop();
  process.exit(130);
});

const api = async (path, method = "GET") => {
  try {
    const r = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
};
for (let i = 0; (await api("/api/ready")) !== 200; ++i) {
  if (i > 600) {
    console.error("the daemon did not become ready:\n" + stderr);
    stop();
    process.exit(1);
  }
  await sleep(100);
}

const sample = () => ({
  at: (Date.now() - started) / 1000,
  rssKb: Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${daemon.pid}/status`, "utf8"))[1]),
  fds: readdirSync(`/proc/${daemon.pid}/fd`).length,
});
const end = started + minutes * 60_000;
const warmupEnd = started + warmupMinutes * 60_000;
let atWarmup;
let rings = 0;
let nextRing = Date.now();
let receiverUp = true;
while (Date.now() < end) {
  if (Date.now() >= nextRing) {
    rings += (await api("/api/ring", "POST")) === 202 ? 1 : 0;
    nextRing += everySeconds * 1000;
  }
  await Promise.all([api("/api/events?limit=50"), api("/metrics"), api("/api/ready"), api("/api/snapshot.jpg")]);
  const second = Math.floor((Date.now() - started) / 1000) % 60;
  if (receiverUp && second >= 40) {
    receiver.close();
    receiver.closeAllConnections();
    receiverUp = false;
  } else if (!receiverUp && second < 40) {
    await listen();
    receiverUp = true;
  }
  if (!atWarmup && Date.now() >= warmupEnd) atWarmup = sample();
  await sleep(1000);
}
if (!receiverUp) await listen();
await sleep(6000); // the last retries land
const atEnd = sample();
stop();
receiver.close();

const p = (values, q) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] : NaN;
};
const measured = latencies.filter(([t, , up]) => up && t >= warmupMinutes * 60);
const fifth = Math.max(1, Math.floor(measured.length / 5));
const first = measured.slice(0, fifth).map(([, ms]) => ms);
const last = measured.slice(-fifth).map(([, ms]) => ms);
const growthKb = atEnd.rssKb - atWarmup.rssKb;
const drift = p(last, 0.5) - p(first, 0.5);
const targets = {
  rss: growthKb <= 1024,
  fds: atEnd.fds <= atWarmup.fds,
  latency: drift <= Math.max(50, 0.25 * p(first, 0.5)),
};
console.log(`soak: ${minutes} min (warm-up ${warmupMinutes}), ${rings} rings accepted, ${latencies.length} notifications received`);
console.log(`RSS  after warm-up ${(atWarmup.rssKb / 1024).toFixed(1)} MB, at the end ${(atEnd.rssKb / 1024).toFixed(1)} MB: growth ${(growthKb / 1024).toFixed(2)} MB (target ≤ 1 MB) ${targets.rss ? "ok" : "MISSED"}`);
console.log(`fds  after warm-up ${atWarmup.fds}, at the end ${atEnd.fds} (target: no growth) ${targets.fds ? "ok" : "MISSED"}`);
console.log(
  `press → notification (receiver up) p50/p95: first fifth ${p(first, 0.5)}/${p(first, 0.95)} ms, last fifth ` +
    `${p(last, 0.5)}/${p(last, 0.95)} ms: drift ${drift} ms (target: none) ${targets.latency ? "ok" : "MISSED"}`,
);
process.exit(Object.values(targets).every(Boolean) ? 0 : 1);
