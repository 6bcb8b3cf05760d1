import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthInfo } from "../../definitions/context.js";

/** Node's handler type: `(req, res) => void`, also accepted by Express as `(req, res, next)`. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/**
 * The second argument of a server's `fetch` handler: identity a host framework already established
 * (its `authenticate` is then skipped).
 */
export interface FetchOptions {
  /** Caller identity established by the host framework (skips the server's `authenticate`). */
  auth?: AuthInfo;
}

/** A Web-standard handler: `(request, { auth }?) => Promise<Response>`. */
export type FetchHandler = (request: Request, options?: FetchOptions) => Promise<Response>;
