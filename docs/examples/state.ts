import { z } from "zod";
import { MCPServer, createToolkit } from "http-mcp";

class Counter {
  count = 0;
}
interface AppState {
  counter: Counter;
  startedAt: Date;
}

// Bind the state type once; every handler's `state` is then typed.
const { defineTool } = createToolkit<AppState>();

const increment = defineTool({
  description: "Add to the shared counter.",
  input: z.object({ by: z.number().int().default(1) }),
  output: z.object({ count: z.number() }),
  handler: function increment({ inputs, state }) {
    state.counter.count += inputs.by;
    return { count: state.counter.count };
  },
});

const readCounter = defineTool({
  name: "read_counter",
  description: "Read the counter, checking its type at run time (Python http_mcp's get_state_key).",
  output: z.object({ count: z.number() }),
  handler: ({ getState }) => ({ count: getState("counter", Counter).count }),
});

export const events: string[] = [];

export const server = new MCPServer({
  name: "counter",
  version: "1.0.0",
  tools: [increment, readCounter],
  // Runs once at startup (explicit `start()`, or lazily on the first request); the code after
  // `yield` runs on `close()`. Open pools and clients here.
  async *lifespan() {
    events.push("start");
    try {
      yield { counter: new Counter(), startedAt: new Date() };
    } finally {
      events.push("stop");
    }
  },
});
