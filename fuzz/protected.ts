// The protected app the fuzzer mounts: the fuzz server behind bearer tokens. One token is valid (the
// admin's), one makes the validator fail as a down authorization server would (its error names a
// secret that must stay out of responses), every other token is refused.
import { createProtectedMCPApp, type FetchMiddleware, type ProtectedMCPApp, type TokenValidator } from "http-mcp/auth";
import { ADMIN_TOKEN, createFuzzServer, DB_PASSWORD } from "./server.ts";

/** A token that makes the validator throw (503 for the client, the error to onError only). */
export const VALIDATOR_DOWN_TOKEN = "fuzz-validator-down";

const validator: TokenValidator = {
  validateToken: (token) => {
    if (token === ADMIN_TOKEN) return { subject: "admin", scopes: ["admin"], clientId: "fuzz-client" };
    if (token === VALIDATOR_DOWN_TOKEN) throw new Error(`introspection failed: password ${DB_PASSWORD} refused`);
    return null;
  },
};

/** A middleware that only passes requests on: enough to route the Node handler through fetch. */
const passThrough: FetchMiddleware = (request, next) => next(request);

export function createFuzzApp(withMiddleware: boolean): ProtectedMCPApp {
  return createProtectedMCPApp({
    server: createFuzzServer(),
    tokenValidator: validator,
    resourceMetadata: { resource: "http://127.0.0.1/mcp", authorization_servers: ["https://auth.fuzz.example"] },
    ...(withMiddleware ? { middlewares: [passThrough] } : {}),
  });
}
