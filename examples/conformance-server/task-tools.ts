// Task fixtures of the Tasks extension scenarios (SEP-2663), served with `tasks()`: each handler is
// an ordinary one; the `task` field makes its calls tasks for clients that declared the extension.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { defineTool, McpError, ToolInvocationError } from "http-mcp";
import { startTask } from "http-mcp/tasks";
import { answerText, nameForm } from "./content.js";

const confirmForm = (message: string) => ({
  message,
  requestedSchema: { type: "object" as const, properties: { confirm: { type: "boolean" } }, required: ["confirm"] },
});

export const taskTools = [
  defineTool({
    name: "slow_compute",
    description: "Sleeps for the given number of seconds, then answers (a task for clients with the Tasks extension)",
    input: z.object({ seconds: z.number().min(0).max(600).describe("How long to work"), label: z.string().optional().describe("A name for the job") }),
    task: "optional",
    handler: async ({ inputs, signal, progress }) => {
      for (let second = 0; second < inputs.seconds; second++) {
        progress(second, inputs.seconds, `working: ${second}/${inputs.seconds} s`);
        await sleep(1000, undefined, { signal }); // tasks/cancel stops it here
      }
      return `Computed ${inputs.label ?? "job"} in ${inputs.seconds} s`;
    },
  }),
  defineTool({
    name: "failing_job",
    description: "Fails as a tool after about a second (a task only: clients without the Tasks extension get -32021)",
    task: "required",
    handler: async ({ signal }) => {
      await sleep(1000, undefined, { signal });
      throw new ToolInvocationError("the job failed");
    },
  }),
  defineTool({
    name: "protocol_error_job",
    description: "Fails with a JSON-RPC error (the task ends failed)",
    task: "optional",
    handler: async () => {
      await sleep(100);
      throw new McpError("INTERNAL_ERROR", "The job hit a protocol error");
    },
  }),
  defineTool({
    name: "confirm_delete",
    description: "Asks for confirmation (the task waits in input_required), then deletes nothing",
    input: z.object({ filename: z.string().describe("The file to delete") }),
    task: "optional",
    handler: async ({ inputs, elicit }) => {
      const answer = await elicit("confirm", confirmForm(`Delete ${inputs.filename}?`));
      return answer.action === "accept" && answer.content?.confirm === true ? `Deleted ${inputs.filename}` : `Kept ${inputs.filename}`;
    },
  }),
  defineTool({
    name: "multi_input",
    description: "Asks two questions at once (both outstanding together)",
    task: "optional",
    handler: async ({ elicit }) => {
      const [name, confirm] = await Promise.all([elicit("name", nameForm("Your name?", "name")), elicit("confirm", confirmForm("Proceed?"))]);
      return `Name: ${answerText(name, "name")}; confirmed: ${confirm.content?.confirm === true}`;
    },
  }),
  defineTool({
    name: "test_tool_with_task",
    description: "Asks for a name in input_required rounds, then goes on as a task",
    task: { support: "required", start: "handler" },
    handler: async (context) => {
      const name = answerText(await context.elicit("user_name", nameForm("What is your name?", "name")), "name");
      await startTask(context);
      await sleep(100, undefined, { signal: context.signal });
      return `Hello, ${name}! (finished as a task)`;
    },
  }),
];
