import { McpError } from "../errors.js";
import { base64url, fromBase64url } from "../internal/base64.js";

/**
 * MRTR (2026-07-28 `input_required` results). A handler asks for input with `elicit`, `sample` or
 * `listRoots`; when the answer is not in the request yet, the call ends with an
 * `InputRequiredResult`, and the client retries with `inputResponses` plus our `requestState`.
 * The handler then runs again from the top and finds its answers. The state carries every
 * answer given so far, so multi-round flows need nothing stored on the server; it is signed
 * (HMAC-SHA-256), bound to the method, target, arguments and caller, and expires.
 */
export interface InputRequest {
  readonly method: "elicitation/create" | "sampling/createMessage" | "roots/list";
  readonly params: unknown;
}

/** Thrown inside a handler to end the call with the input it still needs. Never seen by users. */
export class InputRequiredSignal extends Error {
  override readonly name = "InputRequiredSignal";
}

interface StatePayload {
  /** The request this state belongs to: method, target and a digest of the arguments. */
  readonly r: string;
  /** The caller it was issued to. */
  readonly s: string;
  /** Expiry, ms since the epoch. */
  readonly x: number;
  /** Every answer collected so far, by input key. */
  readonly a: Record<string, unknown>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Signs and checks `requestState` with one server secret (the same on every replica). */
export class RequestStateCodec {
  readonly #secret: Uint8Array | undefined;
  #key: Promise<CryptoKey> | undefined;

  constructor(
    secret: string | Uint8Array | undefined,
    private readonly ttlMs: number,
  ) {
    const bytes = secret === undefined ? undefined : typeof secret === "string" ? encoder.encode(secret) : secret;
    if (bytes !== undefined && bytes.length < 16) throw new TypeError("requestStateSecret must be at least 16 bytes");
    this.#secret = bytes;
  }

  /** Made on first use: Workers refuse random values and crypto work at global scope, where servers are built. */
  #keyOf(): Promise<CryptoKey> {
    this.#key ??= crypto.subtle.importKey("raw", (this.#secret ?? crypto.getRandomValues(new Uint8Array(32))) as Uint8Array<ArrayBuffer>, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    return this.#key;
  }

  async sign(binding: string, subject: string, answers: Record<string, unknown>): Promise<string> {
    const payload: StatePayload = { r: binding, s: subject, x: Date.now() + this.ttlMs, a: answers };
    const body = base64url(encoder.encode(JSON.stringify(payload)));
    const mac = await crypto.subtle.sign("HMAC", await this.#keyOf(), encoder.encode(body));
    return `${body}.${base64url(new Uint8Array(mac))}`;
  }

  /** The answers a state carries; throws INVALID_PARAMS when it is forged, altered, expired or not for this request. */
  async verify(state: unknown, binding: string, subject: string): Promise<Record<string, unknown>> {
    if (typeof state !== "string" || state.length > 1_000_000) throw invalidState();
    const dot = state.indexOf(".");
    let payload: StatePayload;
    try {
      const body = state.slice(0, dot);
      const ok = dot > 0 && (await crypto.subtle.verify("HMAC", await this.#keyOf(), fromBase64url(state.slice(dot + 1)) as Uint8Array<ArrayBuffer>, encoder.encode(body)));
      if (!ok) throw invalidState();
      payload = JSON.parse(decoder.decode(fromBase64url(body))) as StatePayload;
    } catch {
      throw invalidState();
    }
    if (payload.r !== binding || payload.s !== subject || !(payload.x > Date.now())) throw invalidState();
    return payload.a;
  }
}

function invalidState(): McpError {
  return new McpError("INVALID_PARAMS", "Invalid requestState: failed integrity check, expired, or issued for another request");
}

/** What a `requestState` is bound to: the method, its target and a digest of the arguments. */
export async function stateBinding(method: string, target: string, args: unknown): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(canonicalJson(args ?? {})));
  return `${method} ${target} ${base64url(new Uint8Array(digest))}`;
}

const ELICIT_ACTIONS = new Set(["accept", "decline", "cancel"]);

/** Whether a client's `inputResponses` entry has the shape of that request's result; anything else is asked again. */
export function isAnswerTo(method: InputRequest["method"], answer: unknown): boolean {
  if (typeof answer !== "object" || answer === null || Array.isArray(answer)) return false;
  const value = answer as Record<string, unknown>;
  if (method === "elicitation/create") return ELICIT_ACTIONS.has(value.action as string);
  if (method === "sampling/createMessage") return typeof value.role === "string" && typeof value.content === "object" && value.content !== null;
  return Array.isArray(value.roots);
}

/** JSON with object keys sorted, so a retry that reorders its arguments still matches. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  const entries = Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(",")}}`;
}
