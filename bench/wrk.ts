// The HTTP load generator: wrk (C, from Debian's `wrk` package), pinned to core 1. A JavaScript
// generator on one core tops out near what the fastest servers here answer, so their req/s would
// measure the generator; wrk leaves the server the bottleneck. Its Lua hooks check every reply.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDebianPackage } from "../scripts/debian-package.mjs";
import { pinnedCommand } from "./cpu.js";
import type { BenchRequest } from "./http-requests.js";

export interface WrkOptions {
  url: string;
  request: BenchRequest;
  connections: number;
  durationMs: number;
  /** Every reply must be exactly this body (status 200)… */
  expectBody?: string;
  /** …or, for replies that vary between calls, contain each of these strings. */
  mustContain?: readonly string[];
}

export interface WrkResult {
  requests: number;
  durationSeconds: number;
  /** Replies with another status or body, plus socket errors and timeouts. */
  failures: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU seconds wrk used (its whole run). */
  cpuSeconds: number;
}

/** Installs wrk from Debian's packages when it is missing (the bench needs root for that). */
export function ensureWrk(): void {
  ensureDebianPackage("wrk", "wrk", (line) => console.error(`bench: ${line}`));
}

/** A Lua long string that cannot be closed by its content. */
function lua(text: string): string {
  let level = "";
  while (text.includes(`]${level}]`)) level += "=";
  return `[${level}[\n${text}]${level}]`;
}

function script(options: WrkOptions): string {
  const { request } = options;
  const headers = Object.entries(request.headers).map(([name, value]) => `wrk.headers[ ${lua(name)} ] = ${lua(value)}`);
  const needles = options.mustContain ?? [];
  return `
wrk.method = ${lua(request.method)}
wrk.body = ${lua(request.body)}
${headers.join("\n")}
local expected = ${options.expectBody === undefined ? "nil" : lua(options.expectBody)}
local needles = { ${needles.map(lua).join(", ")} }
bad = 0
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 return end
  if expected ~= nil then
    if body ~= expected then bad = bad + 1 end
    return
  end
  for _, needle in ipairs(needles) do
    if not string.find(body, needle, 1, true) then bad = bad + 1 return end
  end
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local failures = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  for _, thread in ipairs(threads) do failures = failures + thread:get("bad") end
  io.write(string.format('\\nRESULT {"requests":%d,"durationUs":%d,"failures":%d,"p50Us":%d,"p99Us":%d,"cpuSeconds":%f}\\n',
    summary.requests, summary.duration, failures, latency:percentile(50), latency:percentile(99), os.clock()))
end
`;
}

/** One wrk run (one thread, pinned to core 1) of `durationMs`, every reply checked. */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), "http-mcp-bench-"));
  try {
    const file = join(dir, "load.lua");
    writeFileSync(file, script(options));
    const seconds = Math.max(1, Math.round(options.durationMs / 1000));
    const [command, ...args] = pinnedCommand(1, ["wrk", "-t1", `-c${options.connections}`, `-d${seconds}s`, "--timeout", "5s", "-s", file, options.url]);
    const child = spawn(command!, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => void (out += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => void (out += chunk));
    // "close", not "exit": exit can come before the output is read, leaving no RESULT line to parse.
    const code = await new Promise<number | null>((resolve, reject) => child.once("error", reject).once("close", resolve));
    const line = /^RESULT (\{.*\})$/m.exec(out);
    if (code !== 0 || !line) throw new Error(`wrk failed (exit ${code}): ${out.trim().slice(-500)}`);
    const result = JSON.parse(line[1]!);
    return {
      requests: result.requests,
      durationSeconds: result.durationUs / 1e6,
      failures: result.failures,
      p50Ms: result.p50Us / 1000,
      p99Ms: result.p99Us / 1000,
      cpuSeconds: result.cpuSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
