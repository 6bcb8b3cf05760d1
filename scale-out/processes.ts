// The processes of the scale-out run: a shared Redis (Debian's redis-server on a free loopback port)
// and replicas (child processes serving scale-out/replica.ts) that reach it. nginx is in nginx.ts.
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ensureDebianPackage } from "../scripts/debian-package.mjs";
import { startChild } from "../test/helpers.ts";
import { startRedis, type RedisServer } from "../test/support/redis-server.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** What every replica is started with. */
export interface ReplicaSettings {
  /** Shared by every replica, so that any of them accepts a question's retry. */
  readonly secret: string;
  readonly redisUrl: string;
  /** The task lease: how long after a replica's death its tasks are reported lost. */
  readonly leaseMs: number;
  /** The shared rate limit: calls per caller per window. */
  readonly rateLimit: number;
  readonly rateWindowMs: number;
}

export interface Replica {
  readonly name: string;
  readonly child: ChildProcess;
  /** http://host:port/mcp, to reach this replica directly (listen streams). */
  readonly url: string;
  /** host:port it listens on, for nginx. */
  readonly address: string;
  readonly exited: Promise<number | null>;
  /** When the replica's exit was seen here (performance.now()), once it has exited. */
  exitSeenAt?: number;
  /** Resolves when the replica prints `line` (tools print "aborted LABEL" when their signal fires). */
  printed(line: string, timeoutMs?: number): Promise<void>;
  /** Whether the replica has printed `line` so far. */
  hasPrinted(line: string): boolean;
  /** The errors it reported (its onError: "NAME WHERE: MESSAGE"), in order. */
  readonly errors: readonly string[];
}

export async function startReplica(name: string, settings: ReplicaSettings): Promise<Replica> {
  const { child, url, exited } = await startChild([process.execPath, "--import", "tsx", "scale-out/replica.ts"], /listening on (http:\/\/\S+)/, {
    cwd: ROOT,
    env: {
      REPLICA: name,
      REQUEST_STATE_SECRET: settings.secret,
      REDIS_URL: settings.redisUrl,
      LEASE_MS: String(settings.leaseMs),
      RATE_LIMIT: String(settings.rateLimit),
      RATE_WINDOW_MS: String(settings.rateWindowMs),
    },
  });
  let output = "";
  const lines = new Set<string>();
  const waiting = new Set<() => void>();
  child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk;
    const end = output.lastIndexOf("\n");
    for (const line of output.slice(0, end).split("\n")) lines.add(line);
    output = output.slice(end + 1);
    for (const check of waiting) check();
  });
  // Errors a replica reports (onError, one line each) go to stderr: kept for the checks that look for them.
  const errors: string[] = [];
  let partial = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    const text = partial + chunk;
    const end = text.lastIndexOf("\n");
    if (errors.length < 10_000) errors.push(...text.slice(0, end + 1).split("\n").filter(Boolean));
    partial = text.slice(end + 1);
  });
  const replica: Replica = {
    name,
    child,
    url: url.endsWith("/mcp") ? url : `${url.replace(/\/$/, "")}/mcp`,
    address: new URL(url).host,
    exited,
    hasPrinted: (line) => lines.has(line),
    errors,
    printed: (line, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => (waiting.delete(check), reject(new Error(`${name} never printed "${line}"`))), timeoutMs);
        const check = () => {
          if (!lines.has(line)) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
      }),
  };
  void exited.then(() => (replica.exitSeenAt = performance.now()));
  return replica;
}

/** Stops a replica that is still running (SIGTERM: `serve` drains and exits 0); resolves with its exit code. */
export async function stopReplica(replica: Replica): Promise<number | null> {
  if (replica.child.exitCode === null && replica.child.signalCode === null) replica.child.kill("SIGTERM");
  return replica.exited;
}

/** The shared Redis, which a check may stop and start again on the same port (the replicas keep their URL). */
export interface SharedRedis {
  readonly url: string;
  readonly port: number;
  /** Stops the server (the data goes with it: no persistence). */
  stop(): Promise<void>;
  /** Starts a fresh server on the same port. */
  start(): Promise<void>;
}

/** Starts Debian's redis-server on a free loopback port, installing the package when it is missing. */
export async function startSharedRedis(): Promise<SharedRedis> {
  ensureDebianPackage("redis-server", "redis-server", (line) => console.error(`scale-out: ${line}`));
  let server: RedisServer | undefined = await startRedis();
  const { url, port } = server;
  return {
    url,
    port,
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async start() {
      server ??= await startRedis({ port });
    },
  };
}
