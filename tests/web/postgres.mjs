// A throw-away PostgreSQL 15 server for browser tests of doors that share one database, as
// tests/support/postgres.hpp makes for the C++ tests: initdb in a temporary directory, run as the postgres
// user on a free loopback port, stopped and deleted by stop().
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./daemon.mjs";

const bin = "/usr/lib/postgresql/15/bin";

function postgresUser() {
  const id = (flag) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const uid = id("-u");
  const gid = id("-g");
  return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : null;
}

// Why no server can run here (a test skips with it), or "" when one can.
export function postgresUnavailable() {
  if (!existsSync(join(bin, "initdb"))) return "PostgreSQL 15 is not installed (scripts/setup.sh)";
  if (process.getuid() !== 0) return "not root: cannot run the server as the postgres user";
  if (!postgresUser()) return "no postgres user";
  return "";
}

export async function startPostgres() {
  const user = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), "doorbell-web-pg-"));
  chmodSync(dir, 0o711); // postgres passes through, and owns what is inside
  const home = join(dir, "pg");
  mkdirSync(home);
  chownSync(home, user.uid, user.gid);
  const asPostgres = (...args) => {
    const run = spawnSync("/usr/sbin/runuser", ["-u", "postgres", "--", ...args], { encoding: "utf8" });
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
      spawnSync("/usr/sbin/runuser", ["-u", "postgres", "--", join(bin, "pg_ctl"), "-D", join(home, "db"), "-m", "fast", "stop"]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
