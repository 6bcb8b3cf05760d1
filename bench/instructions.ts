// Instructions per tools/call under valgrind's callgrind: a figure the machine's load does not move,
// for the head-to-head targets that timing on a shared machine cannot settle (two copies of one build
// measure 0.96–1.05× of each other by time here). Each server runs under callgrind with instrumentation
// off; after `warmup` requests (the JIT settles) it is switched on for `measured` requests, then off.
// Node runs with V8's --predictable and fixed hash and random seeds: without them the same build
// lands on one of two counts 10% apart from run to run (which code the JIT optimised, and when);
// with them, runs agree within 0.3%. Each round uses other seeds; the figure is the smallest.
// Cycles are estimated from callgrind's cache and branch simulation. The two servers of a pair run
// side by side; callgrind serializes each server's own threads.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDebianPackage } from "../scripts/debian-package.mjs";
import { LIBRARIES, label, type Library } from "./http-libraries.js";
import { checkReply, requestFor, VARIANT } from "./http-requests.js";
import { startServer, stopServer, type Server } from "./http-server.js";

export interface InstructionOptions {
  warmup: number;
  measured: number;
  rounds: number;
}

/** Per request: instructions executed, and cycles estimated as Ir + 10·(L1 misses + mispredicted branches) + 100·LL misses. */
interface Count {
  instructions: number;
  cycles: number;
}

/** Reference, then the server held to it, and the least ratio (reference ÷ server, by instructions) the target asks. */
const PAIRS: [string, string, number][] = [
  ["baseline-plain", "http-mcp-node", 0.95],
  ["baseline-plain-2025", "http-mcp-node-2025", 0.95],
  ["baseline-fetch", "http-mcp-fetch", 0.9],
];

/** Installs valgrind from Debian's packages when it is missing; false when that is not possible here. */
export function ensureCallgrind(): boolean {
  try {
    ensureDebianPackage("valgrind", "valgrind", (line) => console.error(`bench: ${line}`));
    execFileSync("callgrind_control", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Sends `count` tools/call requests, 8 at a time on kept-alive connections; throws on the first wrong reply. */
async function drive(url: string, library: Library, count: number): Promise<void> {
  const { headers, body } = requestFor("tools/call", library.era);
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  let sent = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { method: "POST", headers: { ...headers, "content-length": Buffer.byteLength(body) }, agent }, (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          const problem = checkReply("tools/call", res.statusCode ?? 0, text);
          problem ? reject(new Error(`${library.id}: ${problem}`)) : resolve();
        });
      });
      req.on("error", reject).end(body);
    });
  const worker = async () => {
    while (sent < count) {
      sent++;
      await one();
    }
  };
  try {
    await Promise.all(Array.from({ length: 8 }, worker));
  } finally {
    agent.destroy();
  }
}

/** One server under callgrind: warm up, count `measured` requests, stop. */
async function countOnce(library: Library, options: InstructionOptions, seed: number): Promise<Count> {
  const dir = mkdtempSync(join(tmpdir(), "bench-callgrind-"));
  const valgrind = ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--cache-sim=yes", "--branch-sim=yes", "--smc-check=all-non-file", `--callgrind-out-file=${join(dir, "out.%p")}`];
  const launch = ([node, ...rest]: string[]) => [...valgrind, node!, "--predictable", `--hash-seed=${seed}`, `--random-seed=${seed}`, ...rest];
  let server: Server | undefined;
  try {
    server = await startServer(library, VARIANT["tools/call"], { launch, timeoutMs: 120_000 });
    const control = (...args: string[]) => execFileSync("callgrind_control", [...args, String(server!.pid)], { stdio: "ignore" });
    await drive(server.url, library, options.warmup);
    control("--instr=on");
    await drive(server.url, library, options.measured);
    control("--instr=off");
    control("--dump");
    return perRequest(readTotals(dir), options.measured);
  } finally {
    if (server) await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Sums each event over the dump files (one per dump; the server's threads share them). */
function readTotals(dir: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const name of readdirSync(dir)) {
    const text = readFileSync(join(dir, name), "utf8");
    const events = /^events: (.+)$/m.exec(text)?.[1]?.split(" ");
    // "summary:" is 0 in a dump requested while running; "totals:" holds the counts.
    const values = /^totals: (.+)$/m.exec(text)?.[1]?.split(" ").map(Number);
    if (!events || !values) continue;
    events.forEach((event, i) => totals.set(event, (totals.get(event) ?? 0) + (values[i] ?? 0)));
  }
  return totals;
}

function perRequest(totals: Map<string, number>, requests: number): Count {
  const sum = (...events: string[]) => events.reduce((total, event) => total + (totals.get(event) ?? 0), 0);
  const instructions = sum("Ir");
  if (instructions === 0) throw new Error("callgrind counted nothing");
  const cycles = instructions + 10 * sum("I1mr", "D1mr", "D1mw", "Bcm", "Bim") + 100 * sum("ILmr", "DLmr", "DLmw");
  return { instructions: instructions / requests, cycles: cycles / requests };
}

const fewest = (counts: Count[]): Count => counts.reduce((a, b) => (b.instructions < a.instructions ? b : a));

/** The counts of a reference and a server, run side by side `rounds` times: the fewest of each. */
export async function countPair(reference: Library, server: Library, options: InstructionOptions): Promise<[Count, Count]> {
  const counts: [Count[], Count[]] = [[], []];
  for (let round = 0; round < options.rounds; round++) {
    const [a, b] = await Promise.all([countOnce(reference, options, round + 1), countOnce(server, options, round + 1)]);
    counts[0].push(a);
    counts[1].push(b);
  }
  return [fewest(counts[0]), fewest(counts[1])];
}

const thousands = (value: number) => `${(value / 1000).toFixed(1)} k`;

/** Prints the table (a missed target is marked in it); false when a server failed. */
export async function printInstructionCounts(options: InstructionOptions): Promise<boolean> {
  console.log("## Instructions per tools/call (valgrind callgrind: the same on a busy machine as on a quiet one)");
  console.log();
  if (!ensureCallgrind()) {
    console.log("Skipped: valgrind is missing and could not be installed (`apt-get install valgrind`).");
    console.log();
    return true;
  }
  console.log(`Each server under callgrind: ${options.warmup.toLocaleString("en-US")} requests to warm up, then ${options.measured.toLocaleString("en-US")} counted (8 in flight, every reply checked), Node run with \`--predictable\` and fixed seeds; the fewest of ${options.rounds} run(s), each with other seeds. Cycles are estimated from the simulated cache and branch misses (Ir + 10 × (L1 misses + mispredictions) + 100 × LL misses). A ratio is the reference's count ÷ the server's: above 1, the server does less work per request.`);
  console.log();
  console.log("| server | reference | instructions | reference's | ratio | est. cycles | reference's | ratio | target (instructions) |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
  const byId = new Map(LIBRARIES.map((library) => [library.id, library]));
  let ok = true;
  for (const [referenceId, serverId, least] of PAIRS) {
    const reference = byId.get(referenceId)!;
    const server = byId.get(serverId)!;
    let ref: Count, ours: Count;
    try {
      [ref, ours] = await countPair(reference, server, options);
    } catch (error) {
      ok = false;
      console.log(`| ${label(server)} | ${label(reference)} | failed: ${(error as Error).message.slice(0, 200)} | | | | | | |`);
      continue;
    }
    const ratio = ref.instructions / ours.instructions;
    const met = ratio >= least;
    const cells = [label(server), label(reference), thousands(ours.instructions), thousands(ref.instructions), `${ratio.toFixed(3)}×`, thousands(ours.cycles), thousands(ref.cycles), `${(ref.cycles / ours.cycles).toFixed(3)}×`, `≥ ${least}× ${met ? "met" : "**missed**"}`];
    console.log(`| ${cells.join(" | ")} |`);
  }
  console.log();
  return ok;
}
