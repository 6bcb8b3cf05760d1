// Load through nginx for the checks that break something mid-run (a replica killed, Redis
// restarted): stateless tool calls of both eras (raw 2026-07-28 requests and the official SDK
// clients) and tasks, every call timed and its outcome kept.
import { runClient, type CallRecord } from "./clients.ts";
import { call, type Outcome } from "./wire.ts";

export interface LoadRecord extends Outcome {
  /** Who made it: "wire", "sdk-v1", "sdk-v2", "task". */
  client: string;
  /** The MCP method, or the tool for tools/call. */
  what: string;
  /** The replica that answered, when the answer says. */
  replica?: string;
  /** The answer came but was wrong (a wrong sum): must never happen. */
  wrong?: boolean;
}

export interface Load {
  readonly records: LoadRecord[];
  /** Tasks whose creation was acknowledged (a CreateTaskResult came back), with when. */
  readonly tasks: { taskId: string; at: number }[];
  /** Resolves once every loop has ended (they stop at `until`). */
  readonly done: Promise<void>;
}

export interface LoadOptions {
  /** Loops of raw stateless calls (add, and slow_add so that calls are in flight at any time). */
  wire: number;
  /** Loops of official SDK clients per era. */
  sdk: number;
  /** The eras of those clients (default both). */
  eras?: readonly ("v1" | "v2")[];
  /** Loops creating tasks (jobs of 0.2–1.2 s) and polling earlier ones. */
  tasks: number;
  token: string;
}

async function wireLoop(url: string, token: string, until: () => boolean, records: LoadRecord[]): Promise<void> {
  for (let i = 0; !until(); i++) {
    const a = i % 1000;
    const slow = i % 3 === 2;
    const args = slow ? { a, b: 1, ms: 50 + (i % 4) * 50 } : { a, b: 1 };
    const outcome = await call(url, "tools/call", { name: slow ? "slow_add" : "add", arguments: args }, token);
    const out = outcome.result?.structuredContent;
    const wrong = outcome.result !== undefined && (outcome.result.isError === true || out?.sum !== a + 1);
    records.push({ ...outcome, client: "wire", what: slow ? "slow_add" : "add", replica: out?.replica, wrong });
  }
}

async function taskLoop(url: string, token: string, until: () => boolean, load: Load): Promise<void> {
  for (let i = 0; !until(); i++) {
    const created = await call(url, "tools/call", { name: "job", arguments: { label: `load-${Math.random().toString(36).slice(2)}`, ms: 200 + (i % 6) * 200 } }, token);
    load.records.push({ ...created, client: "task", what: "job" });
    if (created.result?.resultType === "task") load.tasks.push({ taskId: created.result.taskId, at: created.end });
    // Poll a recent task: reads go to any replica, and nginx may repeat them on another.
    const recent = load.tasks[load.tasks.length - 1 - (i % 3)];
    if (recent) load.records.push({ ...(await call(url, "tasks/get", { taskId: recent.taskId }, token)), client: "task", what: "tasks/get" });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function fromSdk(record: CallRecord, era: string): LoadRecord {
  return {
    status: record.ok ? 200 : 0,
    start: record.start,
    end: record.end,
    client: `sdk-${era}`,
    what: record.tool,
    ...(record.replica ? { replica: record.replica } : {}),
    ...(record.ok ? { result: {} } : { failure: record.error ?? "tool error" }),
    wrong: record.ok && record.wrong,
  };
}

/** Starts the loops; they run until `until()` holds. */
export function startLoad(url: string, until: () => boolean, options: LoadOptions): Load {
  const load: Load = { records: [], tasks: [], done: Promise.resolve() };
  const loops = [
    ...Array.from({ length: options.wire }, () => wireLoop(url, options.token, until, load.records)),
    ...Array.from({ length: options.tasks }, () => taskLoop(url, options.token, until, load)),
    ...(options.eras ?? (["v1", "v2"] as const)).flatMap((era) =>
      Array.from({ length: options.sdk }, (_, i) => {
        const records: CallRecord[] = [];
        const start = performance.now();
        return runClient(`${era}-${i}`, era, url, options.token, until, records)
          .catch((error: unknown) => void records.push({ client: `${era}-${i}`, tool: "connect", start, end: performance.now(), ok: false, wrong: false, error: String(error) }))
          .then(() => void load.records.push(...records.map((r) => fromSdk(r, era))));
      }),
    ),
  ];
  return { ...load, done: Promise.all(loops).then(() => undefined) };
}
