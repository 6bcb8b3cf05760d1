// Raw HTTP/1.1 over node:net, for requests Node's client refuses to send: the bytes go out as
// given, and the answer is parsed by hand (status line, headers, length or chunked framing, SSE).
import { connect } from "node:net";
import { EventSplitter, parse } from "./answers.ts";

export type RawAnswer =
  | { kind: "response"; status: number; head: string; headers: Map<string, string[]>; body: string; messages: unknown[] }
  /** Bytes that do not start with an HTTP/1.x status line. */
  | { kind: "malformed"; received: string }
  /** The connection closed before a whole response arrived (`received` holds what did). */
  | { kind: "closed"; received: string; error?: string };

/** Sends `bytes` on a new connection and resolves with the first final response (1xx are skipped). */
export function exchangeRaw(port: number, bytes: Buffer, head: boolean, timeoutMs: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = Buffer.alloc(0);
    let error: string | undefined;
    let settled = false;
    const settle = (answer: RawAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => {
      settled = true;
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms; received ${JSON.stringify(received.toString("latin1").slice(0, 300))}`));
    }, timeoutMs);
    const attempt = (closed: boolean) => {
      const answer = parseResponse(received, head, closed);
      if (answer) settle(answer);
      else if (closed) settle({ kind: "closed", received: received.toString("latin1").slice(0, 300), ...(error ? { error } : {}) });
    };
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      attempt(false);
    });
    // A reset (the server refused the rest of a request it already answered, or died) ends the read.
    socket.on("error", (e: Error) => void (error = e.message));
    socket.on("close", () => attempt(true));
    socket.write(bytes);
  });
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: [^\r\n]*)?$/;

/** A whole response from the bytes received so far, or undefined when more are needed. */
function parseResponse(bytes: Buffer, head: boolean, closed: boolean): RawAnswer | undefined {
  let rest = bytes;
  for (;;) {
    const end = rest.indexOf("\r\n\r\n");
    if (end === -1) return closed && rest.length > 0 && !/^HTTP\/1\.[01] \d/.test(rest.toString("latin1")) ? malformed(rest) : undefined;
    const headText = rest.subarray(0, end).toString("latin1");
    const [statusLine, ...lines] = headText.split("\r\n");
    const match = STATUS_LINE.exec(statusLine!);
    if (!match) return malformed(rest);
    const status = Number(match[1]);
    const body = rest.subarray(end + 4);
    if (status >= 100 && status < 200) {
      rest = body; // 100 Continue and other interim responses come before the final one
      continue;
    }
    const headers = new Map<string, string[]>();
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon <= 0) return malformed(rest);
      const name = line.slice(0, colon).toLowerCase();
      headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
    }
    return framed({ status, head: headText, headers }, body, head || status === 204 || status === 304, closed);
  }
}

function malformed(bytes: Buffer): RawAnswer {
  return { kind: "malformed", received: bytes.toString("latin1").slice(0, 300) };
}

type Head = { status: number; head: string; headers: Map<string, string[]> };

function framed(response: Head, bytes: Buffer, bodiless: boolean, closed: boolean): RawAnswer | undefined {
  const contentType = response.headers.get("content-type")?.[0] ?? "";
  const done = (body: Buffer, complete: boolean): RawAnswer | undefined => {
    const text = body.toString("utf8");
    if (contentType.startsWith("text/event-stream")) {
      const events = new EventSplitter();
      events.push(text);
      // A listen stream or a question to the client stays open: what came so far is the answer.
      if (complete || events.openEnded) return { kind: "response", ...response, body: text, messages: events.messages };
      return undefined;
    }
    if (!complete) return undefined;
    return { kind: "response", ...response, body: text, messages: text === "" ? [] : [parse(text)] };
  };
  if (bodiless) return done(Buffer.alloc(0), true);
  const encoding = response.headers.get("transfer-encoding")?.join(",").toLowerCase() ?? "";
  if (encoding.includes("chunked")) {
    const { body, complete } = dechunk(bytes);
    return done(body, complete) ?? (closed ? { kind: "closed", received: response.head.slice(0, 300) } : undefined);
  }
  const length = response.headers.get("content-length");
  if (length !== undefined) {
    const size = Number(length[0]);
    if (bytes.length >= size) return done(bytes.subarray(0, size), true);
    return done(bytes, false) ?? (closed ? { kind: "closed", received: response.head.slice(0, 300) } : undefined);
  }
  return done(bytes, closed); // no framing: the body runs to the connection's close
}

/** The chunks received so far, and whether the last (empty) chunk came. */
function dechunk(bytes: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf("\r\n", at);
    if (lineEnd === -1) break;
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString("latin1"), 16);
    if (!Number.isFinite(size)) break;
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    if (bytes.length < lineEnd + 2 + size + 2) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return { body: Buffer.concat(parts), complete: false };
}
