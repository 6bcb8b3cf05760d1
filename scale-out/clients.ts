// The official SDK clients through the balancer: v1 (2025-11-25, `initialize`, a session when the
// replicas offer one) and v2 pinned to 2026-07-28. Both answer elicitation requests with where the
// question was asked. Every call is checked and recorded.
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";

export interface CallRecord {
  client: string;
  tool: string;
  start: number;
  end: number;
  ok: boolean;
  /** The answer was wrong (a wrong sum, a missing field): must never happen. */
  wrong: boolean;
  replica?: string;
  /** For `transfer`: the replica that asked, and the one that took the answer. */
  askedOn?: string;
  error?: string;
}

export type AnyClient = {
  callTool(params: { name: string; arguments: Record<string, unknown> }, resultSchema?: unknown, options?: { signal?: AbortSignal; timeout?: number }): Promise<any>;
  close(): Promise<void>;
};

const askedOn = (message: string) => /asked on (\S+)\)/.exec(message)?.[1] ?? "?";

/** Connects an SDK client of one era through `url`, its calls authenticated as `token`. */
export async function connectClient(era: "v1" | "v2", url: string, token: string): Promise<{ client: AnyClient; sessionId?: () => string | undefined }> {
  const requestInit = { headers: { authorization: `Bearer ${token}` } };
  if (era === "v1") {
    const client = new ClientV1({ name: "scale-out-v1", version: "1.0.0" }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async (request) => ({ action: "accept", content: { ok: true, askedOn: askedOn(request.params.message) } }));
    const transport = new TransportV1(new URL(url), { requestInit });
    await client.connect(transport);
    return { client: client as unknown as AnyClient, sessionId: () => transport.sessionId };
  }
  const client = new ClientV2({ name: "scale-out-v2", version: "1.0.0" }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: "2026-07-28" } } });
  client.setRequestHandler("elicitation/create", async (request) => ({ action: "accept", content: { ok: true, askedOn: askedOn(request.params.message) } }));
  await client.connect(new TransportV2(new URL(url), { requestInit }));
  return { client: client as unknown as AnyClient };
}

/** Calls tools in a loop until `until()`; v2 clients also run the question-and-retry flow now and then. */
export async function runClient(name: string, era: "v1" | "v2", url: string, token: string, until: () => boolean, records: CallRecord[]): Promise<void> {
  const { client } = await connectClient(era, url, token);
  try {
    for (let i = 0; !until(); i++) {
      const a = Math.floor(Math.random() * 1000);
      const b = Math.floor(Math.random() * 1000);
      const tool = era === "v2" && i % 10 === 5 ? "transfer" : i % 2 === 0 ? "add" : "slow_add";
      const args = tool === "transfer" ? { amount: a } : tool === "slow_add" ? { a, b, ms: 100 + (i % 5) * 50 } : { a, b };
      const record: CallRecord = { client: name, tool, start: performance.now(), end: 0, ok: false, wrong: false };
      try {
        const result = await client.callTool({ name: tool, arguments: args });
        const out = result.structuredContent as Record<string, unknown> | undefined;
        record.ok = result.isError !== true;
        if (tool === "transfer") {
          record.wrong = out?.sent !== a || typeof out?.answeredOn !== "string";
          record.replica = String(out?.answeredOn);
          record.askedOn = String(out?.askedOn);
        } else {
          record.wrong = out?.sum !== a + b || typeof out?.replica !== "string";
          record.replica = String(out?.replica);
        }
        if (!record.ok) record.error = JSON.stringify(result.content).slice(0, 120);
      } catch (error) {
        record.error = String((error as Error).message).slice(0, 160);
      }
      record.end = performance.now();
      records.push(record);
    }
  } finally {
    await client.close().catch(() => {});
  }
}
