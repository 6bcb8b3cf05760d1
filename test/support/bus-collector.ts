// What the bus transport suites (redis-bus, postgres-bus) share: a listener that collects what
// arrives on a channel and what the bus reports, and the report for sends that must not fail.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import type { MessageBus } from "http-mcp/bus";

/** Listens on `name` of `bus`, collecting what arrives and what is reported. */
export function collect(bus: MessageBus, name = "test") {
  const messages: string[] = [];
  const reported: string[] = [];
  const controller = new AbortController();
  bus.listen(name, (message) => messages.push(message), (error) => reported.push((error as Error).message), controller.signal);
  const arrived = async (count: number, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (messages.length < count) {
      if (Date.now() > deadline) assert.fail(`${messages.length} of ${count} messages arrived: ${JSON.stringify(messages).slice(0, 200)}; reported ${reported}`);
      await sleep(5);
    }
    return messages;
  };
  return { messages, reported, arrived, stop: () => controller.abort() };
}

/** For sends that must not fail. */
export const unexpected = (error: unknown) => assert.fail(`unexpected bus failure: ${(error as Error).message}`);
