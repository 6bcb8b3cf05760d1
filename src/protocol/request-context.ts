import type { ElicitRequest, ElicitResult, ListRootsResult, LogLevel, SamplingRequest, SamplingResult } from "../definitions/client-requests.js";
import type { AuthInfo, HandlerContext, McpRequest, StateType } from "../definitions/context.js";
import { readStateKey } from "../definitions/context.js";
import { McpError } from "../errors.js";
import { isObject } from "./jsonrpc.js";
import { InputRequiredSignal, isAnswerTo, type InputRequest } from "./input-required.js";
import { LOG_LEVEL_RANK, type Era } from "./versions.js";

const NO_SCOPES: readonly string[] = Object.freeze([]);

/** Sends a server→client request on the caller's connection and resolves with the client's result. */
export type AskClient = (method: string, params: unknown, signal: AbortSignal) => Promise<unknown>;

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
  /** 2025-era server→client requests, when the connection carries them (stdio, HTTP sessions). */
  readonly ask: AskClient | undefined;
}

/** The object handlers receive; a class so its methods live on one shared prototype. */
export class RequestContext implements HandlerContext<unknown, unknown> {
  private cachedSignal: AbortSignal | undefined;
  private lastProgress = -Infinity;
  /** MRTR bookkeeping: inputs still missing, and answers this run used (carried into the next state). */
  readonly missing = new Map<string, InputRequest>();
  readonly used: Record<string, unknown> = {};
  /** A question the client cannot answer (capability not declared): wins over questions it can. */
  private refusal: McpError | undefined;

  constructor(
    readonly inputs: unknown,
    readonly state: unknown,
    private readonly exchange: Exchange,
    private readonly call: CallInfo,
    private readonly logMismatch: (detail: string) => void,
  ) {}

  get protocolVersion(): string {
    return this.call.version;
  }

  get clientCapabilities(): Readonly<Record<string, unknown>> | undefined {
    return this.call.clientCapabilities;
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

  /** An arrow property so that `({ getState }) => …` destructuring keeps working. */
  readonly getState = (key: string, type: StateType<unknown>): never =>
    readStateKey(this.state, key, type, this.logMismatch) as never;

  readonly progress = (progress: number, total?: number, message?: string): void => {
    const { progressToken } = this.call;
    if (progressToken === undefined || !this.exchange.emit || !(progress > this.lastProgress)) return;
    this.lastProgress = progress;
    const params: Record<string, unknown> = { progressToken, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    this.exchange.emit(JSON.stringify({ jsonrpc: "2.0", method: "notifications/progress", params }));
  };

  readonly log = (level: LogLevel, data: unknown, logger?: string): void => {
    const rank = LOG_LEVEL_RANK.get(level);
    const threshold = this.call.logThreshold;
    if (rank === undefined || threshold === undefined || rank < threshold || !this.exchange.emit) return;
    const params: Record<string, unknown> = logger === undefined ? { level, data } : { level, logger, data };
    this.exchange.emit(JSON.stringify({ jsonrpc: "2.0", method: "notifications/message", params }));
  };

  readonly elicit = (key: string, request: ElicitRequest): Promise<ElicitResult> =>
    this.input(key, { method: "elicitation/create", params: request }, "elicitation") as Promise<ElicitResult>;

  readonly sample = (key: string, request: SamplingRequest): Promise<SamplingResult> =>
    this.input(key, { method: "sampling/createMessage", params: request }, "sampling") as Promise<SamplingResult>;

  readonly listRoots = (key: string): Promise<ListRootsResult> =>
    this.input(key, { method: "roots/list", params: {} }, "roots") as Promise<ListRootsResult>;

  /**
   * Why a failed handler really stopped, when it was asking for input: a missing capability, or
   * input still to come (the call then ends with `input_required`). Undefined otherwise.
   */
  interruption(): Error | undefined {
    return this.refusal ?? (this.missing.size > 0 ? new InputRequiredSignal("input required") : undefined);
  }

  private async input(key: string, request: InputRequest, capability: string): Promise<unknown> {
    const { clientCapabilities, era, ask, answers } = this.call;
    if (era === "legacy" && !ask) {
      throw new Error(`${request.method} needs a connection that carries server requests: stdio, or HTTP with sessions enabled`);
    }
    if (!isObject(clientCapabilities?.[capability])) {
      throw (this.refusal ??= new McpError("MISSING_CLIENT_CAPABILITY", `The client did not declare the ${capability} capability`, {
        data: { requiredCapabilities: { [capability]: {} } },
      }));
    }
    if (era === "legacy") return ask!(request.method, request.params, this.signal);
    if (Object.hasOwn(answers, key) && isAnswerTo(request.method, answers[key])) return (this.used[key] = answers[key]);
    this.missing.set(key, request);
    throw new InputRequiredSignal(`input "${key}" required`);
  }
}
