// A throw-away PostgreSQL server for browser tests of doors that share one database, as
// tests/support/postgres.hpp makes for the C++ tests: initdb in a temporary directory with the newest
// PostgreSQL installed, on a free loopback port — as the postgres user when run as root (the server
// refuses root), else as this user — stopped and deleted by stop().
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./daemon.mjs";

const versions = "/usr/lib/postgresql";
const bin = (existsSync(versions) ? readdirSync(versions) : [])
  .filter((v) => existsSync(join(versions, v, "bin", "initdb")))
  .sort((a, b) => Number(a) - Number(b))
  .map((v) => join(versions, v, "bin"))
  .pop();
const asRoot = process.getuid() === 0;

function postgresUser() {
  const id = (flag) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const uid = id("-u");
  const gid = id("-g");
  return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : null;
}

// A server program's command line: as postgres when this is root, else as this user.
function serverCommand(args) {
  return asRoot ? ["/usr/sbin/runuser", ["-u", "postgres", "--", ...args]] : [args[0], args.slice(1)];
}

// Why no server can run here (a test skips with it), or "" when one can.
export function postgresUnavailable() {
  if (!bin) return "PostgreSQL is not installed (scripts/setup.sh)";
  if (asRoot && !postgresUser()) return "root, and no postgres user to run it as";
  return "";
}

export async function startPostgres() {
  const dir = mkdtempSync(join(tmpdir(), "doorbell-web-pg-"));
  const home = join(dir, "pg");
  mkdirSync(home);
  if (asRoot) {
    const user = postgresUser();
    chmodSync(dir, 0o711); // postgres passes through, and owns what is inside
    chownSync(home, user.uid, user.gid);
  }
  const asPostgres = (...args) => {
    const run = spawnSync(...serverCommand(args), { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`${args.join(" ")}: ${run.stdout}${run.stderr}`);
  };
  const port = await freePort();
  try {
    asPostgres(join(bin, "initdb"), "-D", join(home, "db"), "-A", "trust", "-U", "doorbell", "--no-sync");
    asPostgres(join(bin, "pg_ctl"), "-D", join(home, "db"), "-o",
               `-p ${port} -k ${home} -c listen_addresses=127.0.0.1 -c fsync=off`, "-l", join(home, "log"), "-w", "start");
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    conninfo: `host=127.0.0.1 port=${port} user=doorbell dbname=postgres connect_timeout=5`,
    stop() {
      spawnSync(...serverCommand([join(bin, "pg_ctl"), "-D", join(home, "db"), "-m", "fast", "stop"]));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
