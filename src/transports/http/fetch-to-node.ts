import type { IncomingMessage, ServerResponse } from "node:http";
import type { NodeHandler } from "./node-adapter.js";

function webRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? "https" : "http";
  const url = new URL(req.url ?? "/", `${scheme}://${req.headers.host ?? "localhost"}`);
  // From the raw headers: `req.headers` keeps only the first of some repeated headers (Authorization among them).
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) if (!raw[i]!.startsWith(":")) headers.append(raw[i]!, raw[i + 1]!);
  const method = req.method ?? "GET";
  const body =
    method === "GET" || method === "HEAD"
      ? undefined
      : new ReadableStream<Uint8Array>({
          start(controller) {
            req.on("data", (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)));
            req.once("end", () => controller.close());
            req.once("error", (error) => controller.error(error));
          },
          cancel() {
            req.pause();
          },
        });
  return new Request(url, { method, headers, body, signal, duplex: "half" } as RequestInit);
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  res.writeHead(response.status);
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    res.write(value);
  }
  res.end();
}

/** Serves a Web fetch handler on Node's request/response pair (used when fetch middlewares are configured). */
export function fetchToNode(handler: (request: Request) => Promise<Response>): NodeHandler {
  return (req, res) => {
    const aborted = new AbortController();
    res.once("close", () => res.writableFinished || aborted.abort());
    handler(webRequest(req, aborted.signal))
      .then((response) => send(response, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  };
}
