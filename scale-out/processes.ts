// The processes of the scale-out run: replicas (child processes serving scale-out/replica.ts)
// and nginx in front of them (Debian's package, round robin, loopback only, run from a temp dir).
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDebianPackage } from "../scripts/debian-package.mjs";
import { startChild } from "../test/helpers.ts";
import { freePort } from "../scripts/free-port.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface Replica {
  readonly name: string;
  readonly child: ChildProcess;
  /** host:port it listens on. */
  readonly address: string;
  readonly exited: Promise<number | null>;
}

export async function startReplica(name: string, secret: string): Promise<Replica> {
  const { child, url, exited } = await startChild([process.execPath, "--import", "tsx", "scale-out/replica.ts"], /listening on http:\/\/(\S+)/, {
    cwd: ROOT,
    env: { REPLICA: name, REQUEST_STATE_SECRET: secret },
  });
  return { name, child, address: url, exited };
}

export interface Balancer {
  readonly url: string;
  stop(): Promise<void>;
}

/** nginx, round robin over the replicas; a replica that refuses connections is skipped (proxy_next_upstream). */
export async function startNginx(upstreams: readonly string[]): Promise<Balancer> {
  ensureDebianPackage("nginx", "nginx-light", (line) => console.error(`scale-out: ${line}`));
  const dir = mkdtempSync(join(tmpdir(), "http-mcp-nginx-"));
  const port = await freePort();
  writeFileSync(
    join(dir, "nginx.conf"),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream replicas {
${upstreams.map((address) => `    server ${address} max_fails=1 fail_timeout=10s;`).join("\n")}
    # No pooled connections to the replicas: a request written on a pooled connection to a replica
    # that just died fails (502, since a POST is not retried once sent), while a fresh connection is
    # refused before anything is sent, and nginx then tries the next replica.
  }
  server {
    listen 127.0.0.1:${port};
    location /mcp {
      proxy_pass http://replicas;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_buffering off;
      proxy_next_upstream error timeout;
      proxy_read_timeout 30s;
    }
  }
}
`,
  );
  const nginx = spawn("nginx", ["-p", dir, "-c", join(dir, "nginx.conf")], { stdio: ["ignore", "inherit", "inherit"] });
  const exited = once(nginx, "exit");
  for (let attempt = 0; ; attempt++) {
    if (await accepts(port)) break;
    if (attempt === 100 || nginx.exitCode !== null) throw new Error("nginx did not start");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    stop: async () => {
      nginx.kill("SIGQUIT");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}
