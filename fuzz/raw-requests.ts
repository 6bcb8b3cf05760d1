// Raw HTTP requests, for what Node's client refuses to send or a Web `Request`/`URL` refuses to
// hold: odd methods, request targets and Host headers, header names and values at the edges, many
// headers, conflicting framing. Each is a structure (so that fast-check shrinks it part by part)
// rendered to bytes at send time.
import fc from "fast-check";
import { authorization, headers as mcpHeaders, headerText, host, rpcMessage } from "./arbitraries.ts";

export interface RawRequest {
  method: string;
  target: string;
  version: string;
  /** In order; `{port}` in a value stands for the target's port. */
  headers: [string, string][];
  body: string;
  framing: "length" | "chunked" | "none" | "length-and-chunked" | "bad-length" | "short-length" | "huge-length";
}

/** Node's own limit on a request's head: past it Node answers 431 (and may reset before it is read). */
export const NODE_MAX_HEAD = 16 * 1024;

const method = fc.oneof(
  { weight: 12, arbitrary: fc.constant("POST") },
  { weight: 3, arbitrary: fc.constantFrom("GET", "DELETE", "HEAD", "OPTIONS", "PUT", "PATCH") },
  // Methods Node parses but a Web Request refuses (TRACE) or that Node hands to a 'connect' listener (CONNECT).
  { weight: 2, arbitrary: fc.constantFrom("TRACE", "CONNECT") },
  { weight: 1, arbitrary: fc.constantFrom("PROPFIND", "QUERY", "M-SEARCH", "PURGE", "SOURCE", "MKCALENDAR", "UNLINK") },
  // Not methods Node knows: its parser refuses them with 400.
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom("post", "TRACK", "BREW", "GET POST", ""), fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/)) },
);

const target = fc.oneof(
  { weight: 18, arbitrary: fc.constant("/mcp") },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "/mcp/", "/mcp?x=1", "/MCP", "*", "//x", "//x/mcp", "http://x/mcp", "http://127.0.0.1/mcp", "https://a b/mcp", "%zz", "/%zz", "/mcp%zz", "/mcp?%zz",
      "/mcp#f", "/../mcp", "/./mcp", "/mcp\\x", "/mcp;x", "", "mcp", "/\u00e9", "/mcp?\u00ff", "/.well-known/oauth-protected-resource",
      "/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource/x", "/.well-known/",
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => `/mcp?${"a".repeat(n)}`) },
  { weight: 1, arbitrary: fc.stringMatching(/^[\x21-\x7e]{0,30}$/) },
);

const version = fc.oneof({ weight: 24, arbitrary: fc.constant("HTTP/1.1") }, { weight: 1, arbitrary: fc.constantFrom("HTTP/1.0", "HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTX/1.1", "") });

/** Header names: tokens (all of tchar), long ones, and ones Node's parser refuses. */
const headerName = fc.oneof(
  { weight: 24, arbitrary: fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,30}$/) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => "x".repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom("a b", "a@b", "\u007f", "\u00e9", "(x)", "x\t") },
);
/** Header values: printable, obs-text (bytes 0x80-0xff), tabs, empty, long. */
const headerValue = fc.oneof(
  { weight: 12, arbitrary: headerText },
  { weight: 2, arbitrary: fc.stringMatching(/^[\t\x20-\x7e\x80-\xff]{0,40}$/) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => "v".repeat(n)) },
);
const extraHeaders = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }) },
  // Many headers: past Node's count limit (2000) the rest are dropped; past its size limit, 431.
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 3_000 }).map((n) => Array.from({ length: n }, (_, i): [string, string] => [`x-h${i}`, "1"])) },
);

const body = fc.oneof(
  { weight: 6, arbitrary: rpcMessage.map((message) => JSON.stringify(message)) },
  { weight: 1, arbitrary: fc.constantFrom("", "{", "null", '{"jsonrpc":"2.0","id":1,"method":"ping"}') },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
);

const framing = fc.oneof(
  { weight: 10, arbitrary: fc.constant("length" as const) },
  { weight: 3, arbitrary: fc.constantFrom("chunked" as const, "none" as const) },
  { weight: 2, arbitrary: fc.constantFrom("length-and-chunked" as const, "bad-length" as const, "short-length" as const, "huge-length" as const) },
);

/** Mostly absent: present, `value`. */
const rarely = <T>(value: fc.Arbitrary<T>, weight = 1) => fc.oneof({ weight: 10 - weight, arbitrary: fc.constant(undefined) }, { weight, arbitrary: value });

const singles = fc.record({
  host: fc.oneof(
    { weight: 5, arbitrary: fc.constant("127.0.0.1:{port}") },
    { weight: 4, arbitrary: host },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant<string[]>(["127.0.0.1", "a b"]) },
  ),
  authorization,
  connection: rarely(fc.constantFrom("close", "keep-alive", "upgrade", "close, te"), 4),
  upgrade: rarely(fc.constantFrom("websocket", "h2c", "x")),
  expect: rarely(fc.constantFrom("100-continue", "100-Continue", "teapot")),
});

/** The MCP headers a client sends (the body's method mirrored), or random ones. */
const mcp = fc.oneof(fc.constant("proper" as const), mcpHeaders);
const PROPER = { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28" };

export const rawRequest: fc.Arbitrary<RawRequest> = fc
  .record({ method, target, version, singles, mcp, extra: extraHeaders, body, framing })
  .map(({ singles, mcp, extra, ...rest }) => {
    const { host: _host, authorization: _authorization, ...random } = mcp === "proper" ? { host: undefined, authorization: undefined } : mcp; // these come from `singles`
    const others = mcp === "proper" ? { ...PROPER, "mcp-method": methodOf(rest.body) } : random;
    const lines: [string, string][] = [];
    for (const [name, value] of Object.entries({ ...singles, ...others })) {
      if (value !== undefined) for (const item of Array.isArray(value) ? value : [value]) lines.push([name, item]);
    }
    return { ...rest, headers: [...lines, ...extra] };
  });

function methodOf(body: string): string | undefined {
  try {
    const method = (JSON.parse(body) as { method?: unknown } | null)?.method;
    return typeof method === "string" && /^[\x20-\x7e]*$/.test(method) ? method : undefined;
  } catch {
    return undefined;
  }
}

/** The request's bytes: the head in latin1 (so that obs-text goes out as single bytes), the body in UTF-8. */
export function renderRaw(request: RawRequest, port: number): Buffer {
  const payload = Buffer.from(request.body, "utf8");
  const framingLines: string[] = [];
  let sent = payload;
  switch (request.method === "POST" || request.framing !== "huge-length" ? request.framing : "length") {
    case "length":
      framingLines.push(`content-length: ${payload.length}`);
      break;
    case "chunked":
    case "length-and-chunked": {
      if (request.framing === "length-and-chunked") framingLines.push(`content-length: ${payload.length}`);
      framingLines.push("transfer-encoding: chunked");
      const half = payload.length >> 1;
      const chunks = [payload.subarray(0, half), payload.subarray(half)].filter((chunk) => chunk.length > 0);
      sent = Buffer.concat([...chunks.flatMap((chunk) => [Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]), Buffer.from("0\r\n\r\n")]);
      break;
    }
    case "none":
      sent = Buffer.alloc(0);
      break;
    case "bad-length":
      framingLines.push(`content-length: ${payload.length}`, `content-length: ${payload.length + 1}`);
      break;
    case "short-length":
      framingLines.push(`content-length: ${payload.length >> 1}`);
      break;
    case "huge-length":
      // Refused on its declaration, before any body is awaited.
      framingLines.push("content-length: 10000000");
      sent = Buffer.alloc(0);
      break;
  }
  const headerLines = request.headers.map(([name, value]) => `${name}: ${value.replaceAll("{port}", String(port))}`);
  // Node's handlers see only the first 1000 headers while its parser frames by all of them: a declared
  // length past those would be invisible, and the body awaited. A huge one goes first, to be refused at once.
  const lines = request.framing === "huge-length" ? [...framingLines, ...headerLines] : [...headerLines, ...framingLines];
  const head = [`${request.method} ${request.target} ${request.version}`.trimEnd(), ...lines].join("\r\n");
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, "latin1"), sent]);
}

/** The request's head size in bytes, as Node counts it against its limit. */
export function headSize(request: RawRequest): number {
  return request.method.length + request.target.length + request.headers.reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0) + 64;
}
