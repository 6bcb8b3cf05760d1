// nginx in front of the replicas (Debian's package, one worker, loopback only, run from a temp dir):
// round robin with no stickiness. Its error log is read back to tell why a call failed at a kill.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDebianPackage } from "../scripts/debian-package.mjs";
import { freePort } from "../scripts/free-port.mjs";

export interface Balancer {
  readonly url: string;
  /** nginx's error log so far (one line per upstream error: refused, reset, closed early). */
  errorLog(): string;
  /** One line per request that carried an `Mcp-Session-Id`: the session id and the replica(s) it went to. */
  sessionLog(): string;
  stop(): Promise<void>;
}

/**
 * MCP methods that a replica may be asked again when the first one failed after the request was
 * sent (it may have run): reads, and writes whose repetition changes nothing (an answer to a
 * question already answered is ignored; a cancelled task stays cancelled). Never `tools/call`.
 * 2026-07-28 requests name their method in `Mcp-Method`; 2025-era requests do not, and are never retried.
 */
const REPEATABLE = ["tools/list", "prompts/list", "prompts/get", "resources/list", "resources/templates/list", "resources/read", "server/discover", "ping", "tasks/get", "tasks/update", "tasks/cancel"];

/** The answer nginx gives when no replica answered: a JSON-RPC error a client can show, not an HTML page. */
const BAD_GATEWAY = JSON.stringify({
  jsonrpc: "2.0",
  id: null,
  error: { code: -32603, message: "Bad gateway: the server replica handling this request stopped before answering; the request may or may not have run" },
});

function config(dir: string, port: number, upstreams: readonly string[]): string {
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log error;
events { worker_connections 4096; }
http {
  # Which replica got each request of a 2025-era session: the sessions check counts them.
  log_format sessions '$http_mcp_session_id $upstream_addr';
  access_log ${dir}/sessions.log sessions if=$http_mcp_session_id;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_mcp_method $repeatable {
    default 0;
${REPEATABLE.map((method) => `    "${method}" 1;`).join("\n")}
  }
  upstream replicas {
    # One failure takes a replica out of the rotation for 10 s: after a kill, only the requests
    # already on their way to it fail, not one per round of the rotation.
${upstreams.map((address) => `    server ${address} max_fails=1 fail_timeout=10s;`).join("\n")}
    # No pooled connections to the replicas: a request written on a pooled connection to a replica
    # that just died fails (it was sent), while a fresh connection is refused before anything is
    # sent, and nginx then tries the next replica.
  }
  server {
    listen 127.0.0.1:${port};
    proxy_http_version 1.1;
    proxy_set_header Host $host;
    proxy_buffering off;
    proxy_connect_timeout 1s;
    proxy_read_timeout 300s;
    # An error page reached through error_page (the 418 below) may itself be replaced by one.
    recursive_error_pages on;
    location /mcp {
      error_page 502 504 = @bad_gateway;
      error_page 418 = @repeatable;
      if ($repeatable) { return 418; }
      proxy_pass http://replicas;
      # The next replica on a connection error or timeout, but never once the POST was sent: it may have run.
      proxy_next_upstream error timeout;
    }
    location @repeatable {
      error_page 502 504 = @bad_gateway;
      proxy_pass http://replicas;
      # A read or an idempotent write is sent to the next replica even when the first one got it.
      proxy_next_upstream error timeout non_idempotent;
    }
    location @bad_gateway {
      default_type application/json;
      return 502 '${BAD_GATEWAY}';
    }
  }
}
`;
}

/** nginx, round robin over the replicas; a replica that refuses connections is skipped (proxy_next_upstream). */
export async function startNginx(upstreams: readonly string[]): Promise<Balancer> {
  ensureDebianPackage("nginx", "nginx-light", (line) => console.error(`scale-out: ${line}`));
  const dir = mkdtempSync(join(tmpdir(), "http-mcp-nginx-"));
  const port = await freePort();
  writeFileSync(join(dir, "nginx.conf"), config(dir, port, upstreams));
  const nginx = spawn("nginx", ["-p", dir, "-c", join(dir, "nginx.conf")], { stdio: ["ignore", "inherit", "inherit"] });
  const exited = once(nginx, "exit");
  for (let attempt = 0; ; attempt++) {
    if (await accepts(port)) break;
    if (attempt === 100 || nginx.exitCode !== null) throw new Error("nginx did not start");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    errorLog: () => readLog(join(dir, "error.log")),
    sessionLog: () => readLog(join(dir, "sessions.log")),
    stop: async () => {
      nginx.kill("SIGQUIT");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}
