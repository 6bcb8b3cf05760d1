// app/mcp/route.ts in Next.js (App Router), or a Vercel Function: web-standard handlers exported by
// HTTP method. MCP clients only POST; other methods get the platform's 405.
import { server } from "./app.ts";

export const POST = (request: Request) => server.fetch(request);
