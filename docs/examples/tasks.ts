// Long tool calls as tasks (SEP-2663): clients that declare the Tasks extension get a task id at
// once and poll it; the handler is an ordinary handler.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { MCPServer, defineTool } from "http-mcp";
import { startTask, tasks } from "http-mcp/tasks";

// A task for clients that declare the extension, an ordinary call for the others.
const exportReport = defineTool({
  name: "export_report",
  description: "Builds the yearly report (a few seconds per month), then asks before publishing it.",
  input: z.object({ year: z.number().int() }),
  task: "optional",
  handler: async ({ inputs, signal, progress, elicit }) => {
    for (let month = 1; month <= 12; month++) {
      progress(month, 12, `month ${month} of 12`); // the task's statusMessage
      await sleep(50, undefined, { signal }); // tasks/cancel fires the signal
    }
    // Inside a task, a question parks it in input_required until tasks/update brings the answer.
    const answer = await elicit("publish", {
      message: `Publish the ${inputs.year} report?`,
      requestedSchema: { type: "object", properties: { publish: { type: "boolean" } }, required: ["publish"] },
    });
    return answer.action === "accept" && answer.content?.publish === true ? `Published the ${inputs.year} report.` : "Kept as a draft.";
  },
});

// Questions first, as an ordinary call (input_required rounds), then the long part as a task.
const migrate = defineTool({
  name: "migrate",
  description: "Migrates a database after asking which one.",
  task: { support: "required", start: "handler" },
  handler: async (context) => {
    const answer = await context.elicit("database", {
      message: "Which database?",
      requestedSchema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
    });
    const name = answer.action === "accept" ? String(answer.content?.name) : "none";
    await startTask(context); // from here on the client holds a task id
    await sleep(100, undefined, { signal: context.signal });
    return `Migrated ${name}.`;
  },
});

export const server = new MCPServer({
  name: "reports",
  version: "1.0.0",
  tools: [exportReport, migrate],
  // Defaults: tasks kept an hour, clients asked to poll every second, a 30 s lease.
  extensions: [tasks()],
});
