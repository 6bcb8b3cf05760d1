import type { AuthInfo, HandlerContext, McpRequest, StateType } from "../definitions/context.js";
import { readStateKey } from "../definitions/context.js";

const NO_SCOPES: readonly string[] = Object.freeze([]);

/** Everything one incoming message carries besides its JSON, filled in by the transport. */
export interface Exchange {
  readonly request: McpRequest;
  /** Caller identity (from the host framework or the server's `authenticate`). */
  auth: AuthInfo | undefined;
  /** Created on first use: most handlers never look at it. */
  readonly signal: () => AbortSignal;
}

/** The object handlers receive; a class so its methods live on one shared prototype. */
export class RequestContext implements HandlerContext<unknown, unknown> {
  private cachedSignal: AbortSignal | undefined;

  constructor(
    readonly inputs: unknown,
    readonly state: unknown,
    readonly protocolVersion: string,
    private readonly exchange: Exchange,
    private readonly logMismatch: (detail: string) => void,
  ) {}

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
}
