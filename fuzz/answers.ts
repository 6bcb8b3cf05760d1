// Reading answers as a client reads them: one JSON body, or the JSON data of each SSE event.

export function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { unparsable: text.slice(0, 200) };
  }
}

/** A listen stream's acknowledgement or a question to the client: the stream stays open after it. */
export function isOpenEnded(message: unknown): boolean {
  const m = message as Record<string, unknown>;
  return m?.method === "notifications/subscriptions/acknowledged" || (typeof m?.method === "string" && "id" in m);
}

/** Splits an SSE body, fed as it arrives, into the JSON messages of its `data:` lines. */
export class EventSplitter {
  #pending = "";
  readonly messages: unknown[] = [];
  /** True once a message arrived after which the stream stays open: what came so far is the answer. */
  openEnded = false;

  push(chunk: string): void {
    this.#pending += chunk.replaceAll("\r\n", "\n");
    for (let end = this.#pending.indexOf("\n\n"); end !== -1; end = this.#pending.indexOf("\n\n")) {
      const event = this.#pending.slice(0, end);
      this.#pending = this.#pending.slice(end + 2);
      const data = event.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trimStart()).join("\n");
      if (!data) continue;
      const message = parse(data);
      this.messages.push(message);
      if (isOpenEnded(message)) this.openEnded = true;
    }
  }
}
