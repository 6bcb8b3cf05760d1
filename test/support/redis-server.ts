// A throwaway Redis server for tests: Debian's `redis-server`, listening on a free 127.0.0.1 port
// only, no persistence (no RDB snapshots, no append-only file) and its working directory in a
// temporary folder removed afterwards. `startRedis({ port })` starts one on a given port again, so a
// test can restart Redis under a client that keeps its URL.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { createClient } from "redis";
import { freePort } from "../../scripts/free-port.mjs";

/** A connected node-redis client, as the Redis tests use. */
export type RedisClient = ReturnType<typeof createClient>;

export interface RedisServer {
  /** redis://127.0.0.1:PORT (no password, loopback only). */
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM, SIGKILL if it lingers) and removes its directory. */
  stop(): Promise<void>;
}

/** The redis-server binary, or undefined when it is not installed. */
function redisBinary(): string | undefined {
  const found = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  return found.status === 0 ? "redis-server" : undefined;
}

/** Why the Redis tests cannot run here, or undefined when they can. */
export function redisUnavailable(): string | undefined {
  return redisBinary() ? undefined : "Redis is not installed (apt-get install redis-server)";
}

/** Whether a server on `port` answers PING. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let reply = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk: Buffer) => {
      reply += chunk;
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

/** Starts a fresh Redis server (on `port`, else a free one); resolves once it answers PING. `launch` may wrap its command line (the benchmark pins it to a core). */
export async function startRedis(options: { port?: number; launch?: (argv: string[]) => string[] } = {}): Promise<RedisServer> {
  const binary = redisBinary();
  if (!binary) throw new Error(redisUnavailable());
  const dir = mkdtempSync(join(tmpdir(), "http-mcp-redis-"));
  const port = options.port ?? (await freePort());
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", "--loglevel", "warning"];
  const [command, ...rest] = (options.launch ?? ((argv) => argv))([binary, ...args]);
  const server: ChildProcess = spawn(command!, rest, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (chunk: Buffer) => void (log = (log + chunk).slice(-4000));
  server.stdout!.on("data", keep);
  server.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill("SIGTERM");
      const timer = setTimeout(() => server.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  while (!(await pings(port))) {
    if (server.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Redis did not start on port ${port}\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}

/**
 * For one describe block: starts a Redis server and connects a client before its tests (handing
 * both to `take`), and closes the client and stops the server after them.
 */
export function redisDuringSuite(take: (server: RedisServer, client: RedisClient) => void): void {
  let server: RedisServer | undefined;
  let client: RedisClient | undefined;
  before(async () => {
    server = await startRedis();
    client = createClient({ url: server.url });
    await client.connect();
    take(server, client);
  });
  after(async () => {
    await client?.close();
    await server?.stop();
  });
}
