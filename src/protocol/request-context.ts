import type { ListRootsResult, LogLevel, SamplingResult } from "../definitions/client-requests.js";
import type { AuthInfo, HandlerContext, McpRequest, StateType } from "../definitions/context.js";
import { readStateKey } from "../definitions/context.js";
import { McpError } from "../errors.js";
import { isObject } from "./jsonrpc.js";
import { InputRequiredSignal, isAnswerTo, type InputRequest } from "./input-required.js";
import type { LegacyPeer } from "./legacy-peer.js";
import { LOG_LEVEL_RANK, type Era } from "./versions.js";

const NO_SCOPES: readonly string[] = Object.freeze([]);
/** W3C Trace Context: version (never ff), trace id and parent id (never all zeros), flags; later versions may add fields. */
const TRACEPARENT = /^(?!ff)[\da-f]{2}-(?!0{32})[\da-f]{32}-(?!0{16})[\da-f]{16}-[\da-f]{2}(-|$)/;

/** Everything one incoming message carries besides its JSON, filled in by the transport. */
export interface Exchange {
  readonly request: McpRequest;
  /** Caller identity (from the host framework or the server's `authenticate`). */
  auth: AuthInfo | undefined;
  /** Created on first use: most handlers never look at it. */
  readonly signal: () => AbortSignal;
  /**
   * Sends a message tied to this request before its response (progress, logs, server requests).
   * On HTTP the first one turns the reply into an SSE stream; absent when the client cannot take one.
   */
  readonly emit?: ((json: string) => void) | undefined;
}

/** What the dispatcher learned about one call from its metadata and its connection. */
export interface CallInfo {
  readonly era: Era;
  readonly version: string;
  readonly progressToken: string | number | undefined;
  /** Lowest log level sent, as a rank; undefined: no log messages for this call. */
  readonly logThreshold: number | undefined;
  readonly clientCapabilities: Readonly<Record<string, unknown>> | undefined;
  /** MRTR answers (2026-07-28): `inputResponses` plus those carried by a verified `requestState`. */
  readonly answers: Readonly<Record<string, unknown>>;
  /** The request's `_meta` (empty when it has none). */
  readonly meta: Readonly<Record<string, unknown>>;
  /** The 2025-era peer that carries server→client requests (stdio, HTTP sessions). */
  readonly peer: LegacyPeer | undefined;
}

type Methods = Pick<HandlerContext<unknown, unknown>, "getState" | "progress" | "log" | "elicit" | "sample" | "listRoots">;

/**
 * The object handlers receive; a class so its methods live on one shared prototype. Handlers
 * destructure them (`({ inputs, elicit }) => …`), so each is handed out bound, made on first use:
 * most calls touch none of them, and the hot path allocates nothing for them.
 */
export class RequestContext implements HandlerContext<unknown, unknown> {
  private cachedSignal: AbortSignal | undefined;
  private lastProgress = -Infinity;
  private methods: Methods | undefined;
  /** MRTR bookkeeping: inputs still missing, and answers this run used (carried into the next state). */
  missing: Map<string, InputRequest> | undefined;
  used: Record<string, unknown> | undefined;
  /** A question the client cannot answer (capability not declared): wins over questions it can. */
  private refusal: McpError | undefined;

  /** Set once validated, just before the handler runs. */
  inputs: unknown = undefined;

  constructor(
    readonly state: unknown,
    private readonly exchange: Exchange,
    /** Internal: read by `elicitationCompletion` (http-mcp/sessions); handlers see `HandlerContext`. */
    readonly call: CallInfo,
    private readonly logMismatch: (detail: string) => void,
  ) {}

  get protocolVersion(): string {
    return this.call.version;
  }

  get clientCapabilities(): Readonly<Record<string, unknown>> | undefined {
    return this.call.clientCapabilities;
  }

  get meta(): Readonly<Record<string, unknown>> {
    return this.call.meta;
  }

  get traceparent(): string | undefined {
    const value = this.call.meta.traceparent;
    return typeof value === "string" && TRACEPARENT.test(value) && (value.length === 55 || !value.startsWith("00")) ? value : undefined;
  }

  get request(): McpRequest {
    return this.exchange.request;
  }

  get auth(): AuthInfo | undefined {
    return this.exchange.auth;
  }

  get scopes(): readonly string[] {
    return this.exchange.auth?.scopes ?? NO_SCOPES;
  }

  get signal(): AbortSignal {
    return (this.cachedSignal ??= this.exchange.signal());
  }

  /** True once the handler's signal fired: its failure is then the expected end of a cancelled call, not a bug to report. */
  get aborted(): boolean {
    return this.cachedSignal?.aborted === true;
  }

  get getState(): Methods["getState"] {
    return this.bound().getState;
  }
  get progress(): Methods["progress"] {
    return this.bound().progress;
  }
  get log(): Methods["log"] {
    return this.bound().log;
  }
  get elicit(): Methods["elicit"] {
    return this.bound().elicit;
  }
  get sample(): Methods["sample"] {
    return this.bound().sample;
  }
  get listRoots(): Methods["listRoots"] {
    return this.bound().listRoots;
  }

  private bound(): Methods {
    return (this.methods ??= {
      getState: ((key: string, type: StateType<unknown>) => readStateKey(this.state, key, type, this.logMismatch)) as Methods["getState"],
      progress: (progress, total, message) => this.sendProgress(progress, total, message),
      log: (level, data, logger) => this.sendLog(level, data, logger),
      elicit: ((key: string, request: unknown) => this.input(key, { method: "elicitation/create", params: request })) as Methods["elicit"],
      sample: (key, request) => this.input(key, { method: "sampling/createMessage", params: request }) as Promise<SamplingResult>,
      listRoots: (key) => this.input(key, { method: "roots/list", params: {} }) as Promise<ListRootsResult>,
    });
  }

  private sendProgress(progress: number, total?: number, message?: string): void {
    const { progressToken } = this.call;
    if (progressToken === undefined || !this.exchange.emit || !(progress > this.lastProgress)) return;
    this.lastProgress = progress;
    const params: Record<string, unknown> = { progressToken, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    this.exchange.emit(JSON.stringify({ jsonrpc: "2.0", method: "notifications/progress", params }));
  }

  private sendLog(level: LogLevel, data: unknown, logger?: string): void {
    const rank = LOG_LEVEL_RANK.get(level);
    const threshold = this.call.logThreshold;
    if (rank === undefined || threshold === undefined || rank < threshold || !this.exchange.emit) return;
    const params: Record<string, unknown> = logger === undefined ? { level, data } : { level, logger, data };
    this.exchange.emit(JSON.stringify({ jsonrpc: "2.0", method: "notifications/message", params }));
  }

  /**
   * Why a failed handler really stopped, when it was asking for input: a missing capability, or
   * input still to come (the call then ends with `input_required`). Undefined otherwise.
   */
  interruption(): Error | undefined {
    return this.refusal ?? (this.missing !== undefined ? new InputRequiredSignal("input required") : undefined);
  }

  private async input(key: string, request: InputRequest): Promise<unknown> {
    const { clientCapabilities, era, peer, answers } = this.call;
    const emit = this.exchange.emit;
    if (era === "legacy" && !(peer && emit)) {
      throw new Error(`${request.method} needs a connection that carries server requests: stdio, or HTTP with sessions enabled`);
    }
    const refusal = refusalFor(clientCapabilities, request);
    if (refusal) throw (this.refusal ??= refusal);
    if (era === "legacy") return peer!.ask(request.method, request.params, emit!, this.signal);
    if (Object.hasOwn(answers, key) && isAnswerTo(request.method, answers[key])) return ((this.used ??= {})[key] = answers[key]);
    (this.missing ??= new Map()).set(key, request);
    throw new InputRequiredSignal(`input "${key}" required`);
  }
}

/**
 * The -32021 refusal of a question the client did not declare it can answer: `elicitation`,
 * `sampling`, `roots`, or the part a question needs (`elicitation.url`, `sampling.tools`).
 * Undefined when it can.
 */
export function refusalFor(capabilities: Readonly<Record<string, unknown>> | undefined, { method, params }: InputRequest): McpError | undefined {
  const asked = params as { mode?: unknown; tools?: unknown; toolChoice?: unknown };
  const name = method.split("/")[0]!;
  const part = asked.mode == "url" ? "url" : asked.tools || asked.toolChoice ? "tools" : "";
  const declared = capabilities?.[name];
  if (isObject(declared) && (!part || isObject(declared[part]))) return undefined;
  return new McpError("MISSING_CLIENT_CAPABILITY", `The client did not declare the ${part ? `${name}.${part}` : name} capability`, {
    data: { requiredCapabilities: { [name]: part ? { [part]: {} } : {} } },
  });
}
