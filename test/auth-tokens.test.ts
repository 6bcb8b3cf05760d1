// Token handling in http-mcp/auth, over real HTTP: JWT types and claim types (a JWKS served on
// 127.0.0.1), repeated Authorization headers (raw sockets), the introspection cache (a real
// authorization server), refusal reasons for the operator, and a jwtValidator without jose.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, parse } from "node:path";
import { fileURLToPath } from "node:url";
import { defineTool, MCPServer } from "http-mcp";
import { createProtectedMCPApp, InvalidTokenError, introspectionValidator, jwtValidator, type ProtectedMCPApp, type TokenCacheOptions, type TokenRefusal, type TokenValidator } from "http-mcp/auth";
import { serve } from "http-mcp/node";
import { startAuthorizationServer, type AuthorizationServer } from "./fixtures/authorization-server.js";
import { rawPost, startJwtIssuer, type JwtIssuer } from "./fixtures/jwt-issuer.js";
import { listen, listenFetch, MODERN_META, modernHeaders, post, type Running } from "./helpers.js";

const whoami = defineTool({ name: "whoami", scopes: ["private"], handler: ({ auth }) => `subject ${auth?.subject}` });
const LIST = { jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: MODERN_META } };

/** A protected app on a real Node server; what its refusal hook and onError received. */
async function protectedApp(tokenValidator: TokenValidator, options: { hook?: boolean; middleware?: boolean } = {}) {
  const refusals: TokenRefusal[] = [];
  const reports: string[] = [];
  let app!: ProtectedMCPApp;
  const running = await listen((req, res) => app.nodeHandler(req, res));
  const server = new MCPServer({ name: "t", version: "1", tools: [whoami], onError: (error, where) => reports.push(`${where}: ${String(error)}`) });
  app = createProtectedMCPApp({
    server,
    tokenValidator,
    resourceMetadata: { resource: running.url, authorization_servers: ["https://as.example"] },
    ...(options.hook && { onTokenRefused: (refusal: TokenRefusal) => void refusals.push(refusal) }),
    ...(options.middleware && { middlewares: [(request: Request, next: (request: Request) => Promise<Response>) => next(request)] }),
  });
  const list = (authorization: string) => post(running.url, LIST, { ...modernHeaders("tools/list"), authorization });
  return { app, running, resource: running.url, refusals, reports, list };
}

describe("JWT access tokens: types and claims", () => {
  let issuer: JwtIssuer;
  before(async () => (issuer = await startJwtIssuer()));
  after(() => issuer.close());

  test("at+jwt, application/at+jwt, JWT or untyped are accepted; other JWT types are refused (RFC 8725 §3.11)", async () => {
    const { running, resource, refusals, list } = await protectedApp(jwtValidator({ issuer: issuer.issuer, jwksUrl: issuer.jwksUrl }), { hook: true });
    try {
      const claims = { aud: resource, sub: "alice", scope: "private" };
      for (const typ of [undefined, "at+jwt", "AT+JWT", "application/at+jwt", "JWT", "jwt"]) {
        const reply = await list(`Bearer ${await issuer.sign(claims, { typ })}`);
        assert.equal(reply.status, 200, String(typ));
      }
      for (const typ of ["logout+jwt", "secevent+jwt", "id_token+jwt", "application/logout+jwt", "dpop+jwt"]) {
        const reply = await list(`Bearer ${await issuer.sign(claims, { typ })}`);
        assert.equal(reply.status, 401, typ);
        assert.match(reply.headers.get("www-authenticate")!, /error="invalid_token"$/);
        assert.deepEqual(reply.json.error, { code: -31401, message: "Invalid or expired token" });
      }
      assert.deepEqual(refusals.map((r) => r.reason), ["typ", "typ", "typ", "typ", "typ"]);
    } finally {
      await running.close();
    }
  });

  test("typ: \"at+jwt\" is the strict RFC 9068 check: untyped and JWT are refused too", async () => {
    const strict = jwtValidator({ issuer: issuer.issuer, jwksUrl: issuer.jwksUrl, typ: "at+jwt" });
    const { running, resource, refusals, list } = await protectedApp(strict, { hook: true });
    try {
      const claims = { aud: resource, sub: "alice", scope: "private" };
      for (const typ of ["at+jwt", "Application/AT+JWT"]) assert.equal((await list(`Bearer ${await issuer.sign(claims, { typ })}`)).status, 200, typ);
      for (const typ of [undefined, "JWT"]) assert.equal((await list(`Bearer ${await issuer.sign(claims, { typ })}`)).status, 401, String(typ));
      assert.deepEqual(refusals.map((r) => r.reason), ["typ", "typ"]);
    } finally {
      await running.close();
    }
  });

  test("claims of the wrong type refuse the token: sub, scope, scp, client_id, azp, exp, aud", async () => {
    const { running, resource, refusals, list } = await protectedApp(jwtValidator({ issuer: issuer.issuer, jwksUrl: issuer.jwksUrl }), { hook: true });
    try {
      const base = { aud: resource, sub: "alice", scope: "private" };
      const ok = await list(`Bearer ${await issuer.sign({ ...base, scope: undefined, scp: ["private"] })}`);
      assert.equal(ok.status, 200);
      const bad = [{ sub: 42 }, { sub: { id: "alice" } }, { scope: ["private"] }, { scope: undefined, scp: 7 }, { scope: undefined, scp: ["private", 1] }, { client_id: 5 }, { azp: ["x"] }, { exp: "4102444800" }, { aud: [resource, 3] }];
      for (const claims of bad) {
        const reply = await list(`Bearer ${await issuer.sign({ ...base, ...claims })}`);
        assert.equal(reply.status, 401, JSON.stringify(claims));
      }
      assert.deepEqual(new Set(refusals.map((r) => r.reason)), new Set(["claims"]));
      assert.equal(refusals.length, bad.length);
    } finally {
      await running.close();
    }
  });

  test("every refusal reaches onTokenRefused with its reason, never the token; the client only sees invalid_token", async () => {
    const { running, resource, refusals, reports, list } = await protectedApp(jwtValidator({ issuer: issuer.issuer, jwksUrl: issuer.jwksUrl }), { hook: true });
    try {
      const now = Math.floor(Date.now() / 1000);
      const base = { aud: resource, sub: "alice", scope: "private" };
      const good = await issuer.sign(base);
      const [header, , signature] = good.split(".");
      const cases: Array<[string, string]> = [
        ["expired", await issuer.sign({ ...base, exp: now - 60 })],
        ["not_yet_valid", await issuer.sign({ ...base, nbf: now + 600 })],
        ["audience", await issuer.sign({ ...base, aud: "https://elsewhere.example/mcp" })],
        ["issuer", await issuer.sign({ ...base, iss: "https://impostor.example" })],
        ["signature", await issuer.sign(base, {}, "unpublished")],
        ["signature", [header, Buffer.from(JSON.stringify({ ...base, scope: "private admin" })).toString("base64url"), signature].join(".")],
        ["unknown_kid", await issuer.sign(base, { kid: "k2" })],
        ["algorithm", [Buffer.from(JSON.stringify({ alg: "HS256", kid: "k1" })).toString("base64url"), good.split(".")[1], signature].join(".")],
        ["typ", await issuer.sign(base, { typ: "secevent+jwt" })],
        ["claims", await issuer.sign({ ...base, sub: 1 })],
        ["claims", await issuer.sign({ ...base, exp: undefined })],
        ["malformed", "not.a.jwt"],
        ["malformed", "opaque-random-token-value"],
        ["malformed", "abc$def"],
      ];
      for (const [, token] of cases) {
        const reply = await list(`Bearer ${token}`);
        assert.equal(reply.status, 401, token);
        assert.deepEqual(reply.json.error, { code: -31401, message: "Invalid or expired token" });
        assert.match(reply.headers.get("www-authenticate")!, /^Bearer resource_metadata="[^"]+", error="invalid_token"$/);
      }
      assert.deepEqual(refusals.map((r) => r.reason), cases.map(([reason]) => reason));
      for (const [index, refusal] of refusals.entries()) {
        const token = cases[index]![1];
        assert.deepEqual(Object.keys(refusal).sort(), ["detail", "reason"]);
        assert.ok(refusal.detail.length > 0);
        for (const secret of [token, ...token.split(".").filter((part) => part.length >= 8)]) assert.ok(!JSON.stringify(refusal).includes(secret), `${refusal.reason}: ${refusal.detail}`);
      }
      assert.deepEqual(reports, []); // with a hook, onError hears nothing
    } finally {
      await running.close();
    }
  });

  test("without a hook, each refusal is one onError line with its reason and without the token", async () => {
    const { running, resource, reports, list } = await protectedApp(jwtValidator({ issuer: issuer.issuer, jwksUrl: issuer.jwksUrl }));
    try {
      const expired = await issuer.sign({ aud: resource, sub: "alice", exp: Math.floor(Date.now() / 1000) - 60 });
      assert.equal((await list(`Bearer ${expired}`)).status, 401);
      assert.deepEqual(reports, ['token refused: InvalidTokenError: expired: "exp" claim timestamp check failed']);
    } finally {
      await running.close();
    }
  });
});

describe("custom validators give reasons", () => {
  test("InvalidTokenError(reason) is reported with the token redacted; null means \"invalid\"; other errors stay outages (503)", async () => {
    const validator: TokenValidator = {
      validateToken(token) {
        if (token === "revoked-token-0123456789") throw new InvalidTokenError("inactive", `token ${token} was revoked`);
        if (token === "store-down-0123456789") throw new Error("token store unreachable");
        if (token === "someone-else-0123456789") return { scopes: ["private"], audience: "https://elsewhere.example" };
        if (token === "bad-scopes-0123456789") return { scopes: "private" as unknown as string[] };
        return null;
      },
    };
    const { running, refusals, reports, list } = await protectedApp(validator, { hook: true });
    try {
      assert.equal((await list("Bearer revoked-token-0123456789")).status, 401);
      assert.equal((await list("Bearer unknown-token-0123456789")).status, 401);
      assert.equal((await list("Bearer someone-else-0123456789")).status, 401);
      assert.equal((await list("Bearer bad-scopes-0123456789")).status, 401);
      const outage = await list("Bearer store-down-0123456789");
      assert.equal(outage.status, 503);
      assert.equal(outage.headers.get("retry-after"), "5");
      assert.deepEqual(refusals, [
        { reason: "inactive", detail: "token [redacted] was revoked" },
        { reason: "invalid", detail: "the token validator refused the token" },
        { reason: "audience", detail: "the token is not for this resource" },
        { reason: "claims", detail: "scopes is not an array of strings" },
      ]);
      assert.deepEqual(reports, ["token validation: Error: token store unreachable"]);
    } finally {
      await running.close();
    }
  });

  test("a validator's start() runs once, before serve listens; when it fails, serve rejects with its error", async () => {
    let starts = 0;
    const validator = (fail: boolean): TokenValidator => ({
      start: async () => {
        starts++;
        if (fail) throw new Error("key store not configured");
      },
      validateToken: () => ({ subject: "u", scopes: ["private"] }),
    });
    const make = (tokenValidator: TokenValidator) =>
      createProtectedMCPApp({ server: new MCPServer({ name: "t", version: "1", tools: [whoami] }), tokenValidator, resourceMetadata: { resource: "http://127.0.0.1:9/mcp", authorization_servers: ["https://as.example"] } });
    const failed = await serve(make(validator(true)), { port: 0, manageProcess: false }).then((serving) => serving.close(), (error: unknown) => error);
    assert.match(String(failed), /key store not configured/);
    starts = 0;
    const serving = await serve(make(validator(false)), { port: 0, manageProcess: false });
    try {
      assert.equal(starts, 1);
      for (let i = 0; i < 2; i++) assert.equal((await post(`${serving.url}/mcp`, LIST, { ...modernHeaders("tools/list"), authorization: "Bearer t" })).status, 200);
      assert.equal(starts, 1);
    } finally {
      await serving.close();
    }
  });
});

describe("two Authorization headers: 400 invalid_request (RFC 6750 §3.1)", () => {
  const valid: TokenValidator = { validateToken: (token) => (token.startsWith("good") ? { subject: token, scopes: ["private"] } : null) };
  const body = JSON.stringify(LIST);
  const headers = Object.entries({ "content-type": "application/json", ...modernHeaders("tools/list") });

  for (const path of ["node", "node with middlewares", "fetch"] as const) {
    test(`on the ${path} handler`, async () => {
      const { app, running, refusals, list } = await protectedApp(valid, { hook: true, middleware: path === "node with middlewares" });
      let fetchServer: Running | undefined;
      const port = path === "fetch" ? (fetchServer = await listenFetch(app.fetch)).port : running.port;
      try {
        for (const pair of [["Bearer good-1", "Bearer good-2"], ["Bearer good-1", "Bearer good-1"], ["Bearer good-1", "Basic dTpw"], ["", "Bearer good-1"], ["Bearer good-1", ""]]) {
          const reply = await rawPost(port, "/mcp", [...headers, ["authorization", pair[0]!], ["Authorization", pair[1]!]], body);
          assert.equal(reply.status, 400, JSON.stringify(pair));
          assert.equal(reply.headers.get("www-authenticate"), `Bearer resource_metadata="http://127.0.0.1:${running.port}/.well-known/oauth-protected-resource/mcp", error="invalid_request"`);
          assert.equal(JSON.parse(reply.body).error.code, -32600);
        }
        // Joined into one header by a proxy or a client: a bearer token never holds a comma.
        for (const joined of ["Bearer good-1, Bearer good-2", "Bearer good-1,good-2", "Basic dTpw, Bearer good-1"]) {
          assert.equal((await rawPost(port, "/mcp", [...headers, ["authorization", joined]], body)).status, 400, joined);
        }
        const single = await rawPost(port, "/mcp", [...headers, ["authorization", "Bearer good-1"]], body);
        assert.equal(single.status, 200);
        assert.equal((await list("Bearer good-1")).status, 200);
        assert.ok(refusals.length >= 8 && refusals.every((r) => r.reason === "duplicate"));
      } finally {
        await running.close();
        await fetchServer?.close();
      }
    });
  }
});

describe("the introspection cache", () => {
  let as: AuthorizationServer;
  let introspections = 0;
  const countingFetch: typeof fetch = (input, init) => (introspections++, fetch(input, init));
  before(async () => (as = await startAuthorizationServer()));
  after(() => as.close());

  async function introspecting(cache?: TokenCacheOptions) {
    const validator = introspectionValidator({ endpoint: as.introspectionEndpoint, ...as.resourceServerClient, fetch: countingFetch, ...(cache !== undefined && { cache }) });
    const made = await protectedApp(validator, { hook: true });
    as.resources.set(made.resource, { format: "opaque", scopes: "private", ttlSec: 300 });
    introspections = 0;
    return made;
  }

  test("a second request within the TTL does not ask again; concurrent ones share one call; inactive results are kept briefly", async () => {
    const { running, resource, refusals, list } = await introspecting();
    try {
      const token = await as.token(resource, "private");
      assert.equal((await list(`Bearer ${token}`)).status, 200);
      assert.equal((await list(`Bearer ${token}`)).status, 200);
      assert.equal(introspections, 1);
      const fresh = await as.token(resource, "private");
      const replies = await Promise.all(Array.from({ length: 5 }, () => list(`Bearer ${fresh}`)));
      assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200, 200]);
      assert.equal(introspections, 2);
      for (let i = 0; i < 2; i++) assert.equal((await list("Bearer never-issued-token")).status, 401);
      assert.equal(introspections, 3);
      assert.deepEqual(refusals, [
        { reason: "inactive", detail: "the authorization server says the token is not active" },
        { reason: "inactive", detail: "the authorization server says the token is not active" },
      ]);
    } finally {
      await running.close();
    }
  });

  test("an entry never outlives the token's exp: past it, the authorization server is asked again", async () => {
    const { running, resource, list } = await introspecting({ ttlSec: 60 });
    try {
      as.resources.set(resource, { format: "opaque", scopes: "private", ttlSec: 2 });
      const token = await as.token(resource, "private");
      assert.equal((await list(`Bearer ${token}`)).status, 200);
      assert.equal((await list(`Bearer ${token}`)).status, 200);
      assert.equal(introspections, 1);
      await new Promise((resolve) => setTimeout(resolve, 3100));
      assert.equal((await list(`Bearer ${token}`)).status, 401);
      assert.equal(introspections, 2);
    } finally {
      await running.close();
    }
  });

  test("maxEntries bounds the cache, least recently used out first; ttlSec 0 and inactiveTtlSec 0 turn it off", async () => {
    const { running, resource, list } = await introspecting({ maxEntries: 2 });
    try {
      const [a, b, c] = await Promise.all([as.token(resource, "private"), as.token(resource, "private"), as.token(resource, "private")]);
      const use = async (token: string) => assert.equal((await list(`Bearer ${token}`)).status, 200);
      await use(a!);
      await use(b!);
      await use(a!); // cached; a is now the most recently used
      assert.equal(introspections, 2);
      await use(c!); // pushes b out
      await use(a!);
      assert.equal(introspections, 3);
      await use(b!);
      assert.equal(introspections, 4);
    } finally {
      await running.close();
    }
    const off = await introspecting({ ttlSec: 0, inactiveTtlSec: 0 });
    try {
      const token = await as.token(off.resource, "private");
      for (let i = 0; i < 2; i++) assert.equal((await off.list(`Bearer ${token}`)).status, 200);
      for (let i = 0; i < 2; i++) assert.equal((await off.list("Bearer never-issued-token")).status, 401);
      assert.equal(introspections, 4);
    } finally {
      await off.running.close();
    }
  });
});

describe("jwtValidator without jose installed", () => {
  test("serve fails at startup saying to install jose; requests get 500 with that report, not 503 + Retry-After", async () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), "..");
    const dir = mkdtempSync(join(tmpdir(), "http-mcp-no-jose-"));
    try {
      // The built package, alone in node_modules: no jose here or in any parent directory.
      for (let at = dir; ; at = dirname(at)) {
        assert.ok(!existsSync(join(at, "node_modules", "jose")), `jose found under ${at}`);
        if (at === parse(at).root) break;
      }
      const target = join(dir, "node_modules", "http-mcp");
      cpSync(join(root, "dist"), join(target, "dist"), { recursive: true });
      cpSync(join(root, "package.json"), join(target, "package.json"));
      writeFileSync(join(dir, "main.mjs"), NO_JOSE_SCRIPT);
      const output = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ["main.mjs"], { cwd: dir, env: { PATH: process.env.PATH ?? "" }, timeout: 20_000 }, (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
        ),
      );
      const lines = output.trim().split("\n").map((line) => JSON.parse(line));
      assert.deepEqual(lines[0], { joseMissing: true });
      assert.match(lines[1].serveError, /jwtValidator needs "jose".*install it \(npm install jose\)/);
      assert.equal(lines[2].status, 500);
      assert.equal(lines[2].retryAfter, null);
      assert.match(lines[2].reports.join("\n"), /npm install jose/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const NO_JOSE_SCRIPT = `
import { createServer } from "node:http";
import { MCPServer } from "http-mcp";
import { createProtectedMCPApp, jwtValidator } from "http-mcp/auth";
import { serve } from "http-mcp/node";
console.log(JSON.stringify({ joseMissing: await import("jose").then(() => false, () => true) }));
const reports = [];
const app = createProtectedMCPApp({
  server: new MCPServer({ name: "t", version: "1", onError: (error, where) => reports.push(where + ": " + String(error)) }),
  tokenValidator: jwtValidator({ issuer: "https://as.example", jwksUrl: "https://as.example/jwks" }),
  resourceMetadata: { resource: "http://127.0.0.1:9/mcp", authorization_servers: ["https://as.example"] },
});
try {
  const serving = await serve(app, { port: 0, manageProcess: false });
  console.log(JSON.stringify({ serveError: null }));
  await serving.close();
} catch (error) {
  console.log(JSON.stringify({ serveError: error.message }));
}
const http = createServer(app.nodeHandler);
await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
const response = await fetch("http://127.0.0.1:" + http.address().port + "/mcp", {
  method: "POST",
  headers: { "content-type": "application/json", authorization: "Bearer some-token-value" },
  body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
});
console.log(JSON.stringify({ status: response.status, retryAfter: response.headers.get("retry-after"), reports }));
http.close();
`;
