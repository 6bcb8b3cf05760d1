// Client loops of both protocol eras through the balancer: the official SDK v1 client (2025-11-25,
// `initialize`) and the v2 client pinned to 2026-07-28. Every call is checked and recorded.
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
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
  /** For `transfer`: the replica that asked, and the one that took the retry. */
  askedOn?: string;
  error?: string;
}

type AnyClient = { callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<any>; close(): Promise<void> };

async function connectClient(era: "v1" | "v2", url: string): Promise<AnyClient> {
  if (era === "v1") {
    const client = new ClientV1({ name: "scale-out-v1", version: "1.0.0" });
    await client.connect(new TransportV1(new URL(url)));
    return client as unknown as AnyClient;
  }
  const client = new ClientV2({ name: "scale-out-v2", version: "1.0.0" }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: "2026-07-28" } } });
  client.setRequestHandler("elicitation/create", async (request) => {
    const askedOn = /asked on (\S+)\)/.exec(request.params.message)?.[1] ?? "?";
    return { action: "accept", content: { ok: true, askedOn } };
  });
  await client.connect(new TransportV2(new URL(url)));
  return client as unknown as AnyClient;
}

/** Calls tools in a loop until `until()`; v2 clients also run the question-and-retry flow now and then. */
export async function runClient(name: string, era: "v1" | "v2", url: string, until: () => boolean, records: CallRecord[]): Promise<void> {
  const client = await connectClient(era, url);
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
      } catch (error) {
        record.error = String((error as Error).message).slice(0, 120);
      }
      record.end = performance.now();
      records.push(record);
    }
  } finally {
    await client.close().catch(() => {});
  }
}
