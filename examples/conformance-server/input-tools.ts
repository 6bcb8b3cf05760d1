// MRTR fixtures (2026-07-28 `input_required`): each handler simply awaits the input it needs;
// the library answers with InputRequiredResult and runs the handler again on the client's retry.
import { defineTool } from "http-mcp";
import { answerText, CONFIRM_FORM, nameForm } from "./content.js";

const ask = (text: string, maxTokens: number) => ({ messages: [{ role: "user" as const, content: { type: "text" as const, text } }], maxTokens });
const sampledText = (answer: { content: unknown }) => {
  const content = (Array.isArray(answer.content) ? answer.content[0] : answer.content) as { text?: unknown } | undefined;
  return typeof content?.text === "string" ? content.text : undefined;
};

export const inputTools = [
  defineTool({
    name: "test_missing_capability",
    description: "Test tool requiring sampling",
    handler: async ({ sample }) => {
      await sample("sample", ask("Say hello", 10));
      return "Success";
    },
  }),
  defineTool({
    name: "test_input_required_result_elicitation",
    description: "MRTR: returns InputRequiredResult with elicitation request",
    handler: async ({ elicit }) => `Hello, ${answerText(await elicit("user_name", nameForm("What is your name?", "name")), "name")}!`,
  }),
  defineTool({
    name: "test_input_required_result_sampling",
    description: "MRTR: returns InputRequiredResult with sampling request",
    handler: async ({ sample }) =>
      `Sampling result: ${sampledText(await sample("sample_request", ask("What is the capital of France?", 100))) ?? "no response"}`,
  }),
  defineTool({
    name: "test_input_required_result_list_roots",
    description: "MRTR: returns InputRequiredResult with roots/list request",
    handler: async ({ listRoots }) => {
      const { roots } = await listRoots("roots_request");
      return `Found ${Array.isArray(roots) ? roots.length : 0} root(s)`;
    },
  }),
  defineTool({
    name: "test_input_required_result_request_state",
    description: "MRTR: returns InputRequiredResult with requestState",
    handler: async ({ elicit }) => {
      const answer = await elicit("confirm", CONFIRM_FORM);
      return answer.content?.ok === true ? "state-ok: requestState validated" : "state-ok: not confirmed";
    },
  }),
  defineTool({
    name: "test_input_required_result_multiple_inputs",
    description: "MRTR: returns InputRequiredResult with multiple input requests",
    handler: async ({ elicit, sample, listRoots }) => {
      // Asked together: one round trip carries all three requests.
      const [name, greeting, roots] = await Promise.all([
        elicit("user_name", nameForm("What is your name?", "name")),
        sample("greeting", ask("Generate a greeting", 50)),
        listRoots("client_roots"),
      ]);
      return `Name: ${answerText(name, "name")}; Greeting: ${sampledText(greeting) ?? "Hello there!"}; Roots: ${roots.roots?.length ?? 0}`;
    },
  }),
  defineTool({
    name: "test_input_required_result_multi_round",
    description: "MRTR: multi-round InputRequiredResult workflow",
    handler: async ({ elicit }) => {
      // One question per round: the second is asked only once the first is answered.
      const name = answerText(await elicit("step1", nameForm("Step 1: What is your name?", "name")), "name");
      const color = answerText(await elicit("step2", nameForm("Step 2: What is your favorite color?", "color")), "color");
      return `Multi-round complete for ${name} who likes ${color}`;
    },
  }),
  defineTool({
    name: "test_input_required_result_tampered_state",
    description: "MRTR: HMAC-signed requestState integrity test",
    handler: async ({ elicit }) => {
      await elicit("confirm", CONFIRM_FORM);
      return "integrity-ok: state verified";
    },
  }),
  defineTool({
    name: "test_input_required_result_capabilities",
    description: "MRTR: respects client capabilities in inputRequests",
    handler: async ({ clientCapabilities, elicit, sample }) => {
      const asks: Promise<unknown>[] = [];
      const keys: string[] = [];
      if (clientCapabilities?.elicitation) {
        keys.push("elicit_input");
        asks.push(elicit("elicit_input", nameForm("Elicitation input", "value")));
      }
      if (clientCapabilities?.sampling) {
        keys.push("sample_input");
        asks.push(sample("sample_input", ask("Sample request", 50)));
      }
      if (asks.length === 0) return "No supported capabilities declared";
      await Promise.all(asks);
      return `capabilities-ok: received ${keys.join(",")}`;
    },
  }),
];
