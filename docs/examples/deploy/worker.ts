// worker.ts: a Cloudflare Workers module (the `main` of wrangler.toml; `wrangler deploy`).
import { server } from "./app.ts";

export default {
  // Only the request: Workers pass `env` second, and server.fetch would take it for `{ auth }`
  // (a binding named `auth` would then stand in for the caller's identity).
  fetch: (request: Request) => server.fetch(request),
};
