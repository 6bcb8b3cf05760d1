// `serve`'s health endpoints for orchestrators and load balancers: liveness (the process serves)
// and readiness (the lifespan has started, your check passes, and it is not shutting down).
import type { IncomingMessage, ServerResponse } from "node:http";

/** The `health` option of `serve`: paths, your readiness check, its time limit. */
export interface HealthOptions {
  /** Answers 200 while the process serves, draining included (default "/healthz"; false: off). */
  livePath?: string | false;
  /** Answers 200 once started, while `ready` passes and until shutdown begins; 503 otherwise (default "/readyz"; false: off). */
  readyPath?: string | false;
  /**
   * Your readiness check (a database ping, a cache warmed), run on each readiness request once the
   * lifespan has started: `false`, a throw, a rejection or no answer within `readyTimeoutMs` make
   * it 503. A failure is reported to `onError` ("readiness"), never told to the prober.
   */
  ready?: () => boolean | Promise<boolean>;
  /** How long `ready` may take (default 2000 ms). */
  readyTimeoutMs?: number;
}

/** Where the server is in its life, as readiness tells it. */
export type ServingPhase = "starting" | "serving" | "draining";

type Probe = (req: IncomingMessage, res: ServerResponse) => void;

const HEADERS = { "content-type": "application/json", "cache-control": "no-store" };

/**
 * The probe answering a request for a health path, or undefined for other paths. Only GET and HEAD
 * are answered (others 405); the query string is ignored.
 */
export function healthProbes(options: HealthOptions | false | undefined, phase: () => ServingPhase, report: (error: unknown) => void): (path: string) => Probe | undefined {
  if (options === false) return () => undefined;
  const { livePath = "/healthz", readyPath = "/readyz", ready, readyTimeoutMs = 2000 } = options ?? {};
  for (const [name, path] of [["livePath", livePath], ["readyPath", readyPath]] as const) {
    if (path !== false && !(typeof path === "string" && path.startsWith("/"))) throw new TypeError(`serve: health.${name} must be a path starting with "/", or false`);
  }
  if (livePath !== false && livePath === readyPath) throw new TypeError("serve: health.livePath and health.readyPath must differ");
  if (ready !== undefined && typeof ready !== "function") throw new TypeError("serve: health.ready must be a function");
  if (!(Number.isSafeInteger(readyTimeoutMs) && readyTimeoutMs > 0)) throw new TypeError("serve: health.readyTimeoutMs must be a positive integer");

  const live: Probe = (req, res) => reply(res, 200, "ok", req.method === "HEAD");
  const readiness: Probe = (req, res) => {
    // Read the phase when answering: shutdown may have begun while the check ran.
    const answer = (passed: boolean) => {
      const now = phase();
      reply(res, passed && now === "serving" ? 200 : 503, now !== "serving" ? now : passed ? "ok" : "unready", req.method === "HEAD");
    };
    if (phase() !== "serving" || ready === undefined) answer(true);
    else void check(ready, readyTimeoutMs, report).then(answer);
  };
  const onlyGet = (probe: Probe): Probe => (req, res) =>
    req.method === "GET" || req.method === "HEAD" ? probe(req, res) : void res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("Method Not Allowed\n");
  const probes = new Map<string, Probe>();
  if (livePath !== false) probes.set(livePath, onlyGet(live));
  if (readyPath !== false) probes.set(readyPath, onlyGet(readiness));
  return (path) => probes.get(path);
}

/** Runs the user's check within its time limit; a failure is reported and counts as not ready. */
async function check(ready: () => boolean | Promise<boolean>, timeoutMs: number, report: (error: unknown) => void): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(resolve, timeoutMs, "late")));
  try {
    const answer = await Promise.race([Promise.resolve().then(ready), late]);
    if (answer === "late") report(new Error(`the readiness check did not answer within ${timeoutMs} ms`));
    return answer === true;
  } catch (error) {
    report(error);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function reply(res: ServerResponse, status: number, state: string, head: boolean): void {
  if (res.destroyed) return;
  const body = JSON.stringify({ status: state });
  res.writeHead(status, { ...HEADERS, "content-length": Buffer.byteLength(body) }).end(head ? undefined : body);
}
