// The soak target: the fuzz server on http-mcp/node, reporting its own memory and event-loop delay
// over IPC ({ gc } → { rss, heapUsed, eventLoopP99Ms, eventLoopMaxMs }); checkpoints ask for a full GC first.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { serve } from "http-mcp/node";
import { createFuzzServer } from "../fuzz/server.ts";

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const serving = await serve(createFuzzServer(), { port: 0 });
process.on("message", (message: { gc?: boolean }) => {
  // The delay is read before any forced GC, so a checkpoint's collection does not count as load.
  const eventLoopP99Ms = delay.percentile(99) / 1e6;
  const eventLoopMaxMs = delay.max / 1e6;
  if (message.gc) (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.send!({ rss, heapUsed, eventLoopP99Ms, eventLoopMaxMs });
  setTimeout(() => delay.reset(), 50).unref(); // after the collection's pause has been recorded
});
process.send!({ url: `${serving.url}/mcp` });
