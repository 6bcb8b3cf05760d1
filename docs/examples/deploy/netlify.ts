// netlify/functions/mcp.ts: a Netlify Function is a default export `(Request) => Response`.
import { server } from "./app.ts";

export default (request: Request) => server.fetch(request);

export const config = { path: "/mcp" };
