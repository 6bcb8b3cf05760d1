import { createServer } from "node:http";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { MCPServer, defineTool, type AuthInfo } from "http-mcp";

const ping = defineTool({ description: "Reply with pong.", handler: function ping() { return "pong"; } });
export const server = new MCPServer({ name: "mounted", version: "1.0.0", tools: [ping] });

// Node's http module: the handler works on IncomingMessage/ServerResponse directly.
export const nodeServer = createServer(server.nodeHandler);

// Express (with or without express.json() in front).
export const expressApp = express();
expressApp.post("/mcp", server.nodeHandler);

// Hono, or any fetch runtime (Bun.serve, Deno.serve, Cloudflare Workers: `export default { fetch: server.fetch }`).
export const honoApp = new Hono();
honoApp.all("/mcp", (c) => server.fetch(c.req.raw));

// Fastify: it parses JSON bodies itself, and the server takes the parsed body and the caller
// Fastify authenticated from the raw request (`body`, `auth`); `hijack()` hands the reply over.
export const fastifyApp = Fastify();
fastifyApp.post("/mcp", (request, reply) => {
  reply.hijack();
  Object.assign(request.raw, { body: request.body, auth: request.caller });
  server.nodeHandler(request.raw, reply.raw);
});

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the app's own auth hook: who is calling, with which scopes (http-mcp's AuthInfo). */
    caller?: AuthInfo;
  }
}
