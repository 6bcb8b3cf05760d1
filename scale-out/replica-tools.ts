// The tools, prompt and resource a scale-out replica serves. Tools that run until cancelled print
// "started LABEL" and "aborted LABEL" on stdout, so the script sees where a signal fired.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { definePrompt, defineResource, defineTool, type MCPServer } from "http-mcp";

export const WATCHED_URI = "scale-out://watched";

/** A wall-clock time in milliseconds with sub-millisecond precision, comparable across processes. */
export const wallClock = () => performance.timeOrigin + performance.now();

const print = (line: string) => process.stdout.write(`${line}\n`);

/** Runs until `signal` fires (cancellation, a lost lease, shutdown) or `ms` pass; prints both ends. */
function until(signal: AbortSignal, label: string, ms: number): Promise<void> {
  print(`started ${label}`);
  return sleep(ms, undefined, { signal }).catch((error: unknown) => {
    print(`aborted ${label}`);
    throw error;
  });
}

const form = (message: string) => ({ message, requestedSchema: { type: "object" as const, properties: { ok: { type: "boolean" as const } }, required: ["ok"] } });

export const hello = definePrompt({ name: "hello", handler: () => "Hello!" });
export const watched = defineResource({ uri: WATCHED_URI, mimeType: "text/plain", read: () => "watched" });

export function replicaTools(replica: string, server: () => MCPServer<any, any, any>) {
  const add = defineTool({
    name: "add",
    input: z.object({ a: z.number(), b: z.number() }),
    output: z.object({ sum: z.number(), replica: z.string() }),
    handler: ({ inputs }) => ({ sum: inputs.a + inputs.b, replica }),
  });
  const slowAdd = defineTool({
    name: "slow_add",
    input: z.object({ a: z.number(), b: z.number(), ms: z.number().max(5_000) }),
    output: z.object({ sum: z.number(), replica: z.string() }),
    handler: async ({ inputs, signal }) => {
      await sleep(inputs.ms, undefined, { signal });
      return { sum: inputs.a + inputs.b, replica };
    },
  });
  // The question ends the first call (on some replica); the retry with the answer may land on another.
  // In a 2025-era session the question travels on the call's stream and the answer comes in a later POST.
  const transfer = defineTool({
    name: "transfer",
    input: z.object({ amount: z.number() }),
    output: z.object({ sent: z.number(), askedOn: z.string(), answeredOn: z.string() }),
    handler: async ({ inputs, elicit }) => {
      const answer = await elicit("confirm", form(`Send ${inputs.amount}? (asked on ${replica})`));
      if (answer.action !== "accept") return { sent: 0, askedOn: "", answeredOn: replica };
      return { sent: inputs.amount, askedOn: String(answer.content?.askedOn ?? ""), answeredOn: replica };
    },
  });
  // The one tool under the shared rate limit (rateLimit's `tools`), so the other checks' load is not limited.
  const metered = defineTool({
    name: "metered",
    output: z.object({ replica: z.string() }),
    handler: () => ({ replica }),
  });
  // A change made here: every replica's listen streams must hear it once. Returns when it was made.
  const touch = defineTool({
    name: "touch",
    input: z.object({ kind: z.enum(["resource", "prompts"]) }),
    output: z.object({ at: z.number(), replica: z.string() }),
    handler: ({ inputs }) => {
      const at = wallClock();
      if (inputs.kind === "resource") server().notifyResourceUpdated(WATCHED_URI);
      else server().update({ prompts: [hello] });
      return { at, replica };
    },
  });
  const wait = defineTool({
    name: "wait",
    description: "Runs until cancelled (at most `ms`).",
    input: z.object({ label: z.string(), ms: z.number().max(60_000) }),
    handler: async ({ inputs, signal }) => {
      await until(signal, inputs.label, inputs.ms);
      return `waited on ${replica}`;
    },
  });
  // Tasks: asked a question (answered through tasks/update), run for a while, or until cancelled.
  const ask = defineTool({
    name: "ask",
    task: "optional",
    handler: async ({ elicit }) => `ok: ${String((await elicit("go", form("Go on?"))).content?.ok)} (ran on ${replica})`,
  });
  const job = defineTool({
    name: "job",
    description: "A task that runs `ms` (until cancelled), then says where it ran.",
    input: z.object({ label: z.string(), ms: z.number().max(600_000) }),
    task: "optional",
    handler: async ({ inputs, signal }) => {
      await until(signal, inputs.label, inputs.ms);
      return `done on ${replica}`;
    },
  });
  return [add, slowAdd, transfer, metered, touch, wait, ask, job];
}
