// A throwaway PostgreSQL server for tests: Debian's binaries, a fresh cluster in a temporary
// directory, listening on a free 127.0.0.1 port (and a Unix socket in that directory only), no
// fsync. Postgres refuses to run as root, so as root it runs as the `postgres` user (or `nobody`).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "../../scripts/free-port.mjs";

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication, loopback only). */
  readonly url: string;
  readonly port: number;
  /** Shuts the server down (waiting for clients to leave, a few seconds at most) and removes its directory. */
  stop(): Promise<void>;
}

/** The directory of Debian's PostgreSQL binaries (the newest installed), or undefined. */
export function postgresBinaries(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin");
}

/** Why the wire tests cannot run here, or undefined when they can. */
export function postgresUnavailable(): string | undefined {
  return postgresBinaries() ? undefined : "PostgreSQL is not installed (apt-get install postgresql)";
}

function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ["postgres", "nobody"]) {
    const id = spawnSync("id", ["-u", name], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
    if (id.status === 0 && gid.status === 0) return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error("running as root and no postgres or nobody user to run PostgreSQL as");
}

/** Starts a fresh PostgreSQL server; resolves once it accepts connections. `launch` may wrap its command line (the benchmark pins it to a core). */
export async function startPostgres(options: { launch?: (argv: string[]) => string[] } = {}): Promise<PostgresServer> {
  const bin = postgresBinaries();
  if (!bin) throw new Error(postgresUnavailable());
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), "http-mcp-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  const init = spawnSync(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"], {
    ...user,
    encoding: "utf8",
    env: { ...process.env, LC_ALL: "C" },
  });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr || init.error?.message}`);
  }
  const port = await freePort();
  // fsync off and no synchronous commit: a test cluster, thrown away afterwards.
  const args = ["-D", data, "-p", String(port), "-h", "127.0.0.1", "-k", dir, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];
  const [command, ...rest] = (options.launch ?? ((argv) => argv))([join(bin, "postgres"), ...args]);
  const server: ChildProcess = spawn(command!, rest, { ...user, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  server.stderr!.on("data", (chunk: Buffer) => void (log = (log + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  // Smart shutdown first: clients that just ended their pools still have sockets closing, and a
  // fast shutdown would send them an error nobody listens to any more. Faster modes if it lingers.
  const stop = async () => {
    const signals = ["SIGTERM", "SIGINT", "SIGQUIT"] as const;
    for (const [i, signal] of signals.entries()) {
      if (server.exitCode !== null || server.signalCode !== null) break;
      server.kill(signal);
      const late = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => setTimeout(resolve, 2000 * (i + 1), true))]);
      if (!late) break;
    }
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return { url, port, stop };
    } catch (error) {
      await client.end().catch(() => {});
      if (server.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
