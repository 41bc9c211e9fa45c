// The real doorbelld for browser tests: a temporary directory with its configuration, a replayed camera
// and a login, on a free loopback port; stopped (and the directory removed) by stop(), also when the test
// process exits early.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const adminToken = "web-test-admin-token";
export const login = { user: "dana", password: "correct horse battery" };

export async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

// binary, models: paths; camera: the image the camera replays; extra: merged into the configuration (its
// `storage` into the storage section); env: added to the daemon's environment.
export async function startDaemon({ binary, models, camera, extra = {}, env = {} }) {
  const { storage = {}, ...rest } = extra;
  const environment = { ...process.env, ...env };
  const work = mkdtempSync(join(tmpdir(), "doorbell-web-"));
  mkdirSync(join(work, "camera"));
  copyFileSync(camera, join(work, "camera", "door.jpg"));
  const port = await freePort();
  const config = {
    http: { port, bind_address: "127.0.0.1", api_token: adminToken },
    camera: { source: join(work, "camera"), fps: 5 },
    storage: { data_dir: join(work, "data"), ...storage },
    recognition: {
      resnet_model: join(models, "dlib_face_recognition_resnet_model_v1.dat"),
      landmarks_model: join(models, "shape_predictor_68_face_landmarks.dat"),
      min_face_px: 160,
    },
    pipeline: { hold_off_seconds: 0 },
    log: { level: "warn" },
    ...rest,
  };
  const configFile = join(work, "doorbelld.json");
  writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
  const added = spawnSync(binary, ["--config", configFile, "user", "add", login.user, "--role", "admin"],
                          { input: `${login.password}\n`, encoding: "utf8", env: environment });
  if (added.status !== 0) throw new Error(`user add failed: ${added.stderr}`);

  const child = spawn(binary, ["--config", configFile], { stdio: ["ignore", "ignore", "pipe"], env: environment });
  let stderr = "";
  child.stderr.on("data", (c) => (stderr += c));
  const exited = new Promise((r) => child.on("exit", r));
  const kill = () => child.kill("SIGKILL");
  process.on("exit", kill);

  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    const ready = await fetch(`${url}/api/ready`).then((r) => r.status, () => 0);
    if (ready === 200) break;
    if (child.exitCode !== null || Date.now() - started > 60000) {
      kill();
      throw new Error(`doorbelld was not ready within 60 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  // The admin's API, for what a test prepares without the browser.
  const apiCall = async (method, path, body, type = "application/json") => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${adminToken}`, ...(body ? { "Content-Type": type } : {}) },
      body,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : {};
  };

  return {
    url,
    api: apiCall,
    stderr: () => stderr,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      process.off("exit", kill);
      rmSync(work, { recursive: true, force: true });
    },
  };
}
