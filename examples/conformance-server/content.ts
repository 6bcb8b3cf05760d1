// The conformance suite's fixture data: a 1x1 red PNG and a minimal WAV file.
export const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
export const WAV_BASE64 = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";
export const PNG_BYTES = Uint8Array.from(atob(PNG_BASE64), (c) => c.charCodeAt(0));

export function nameForm(message: string, field: string) {
  return {
    message,
    requestedSchema: { type: "object" as const, properties: { [field]: { type: "string" } }, required: [field] },
  };
}

export const CONFIRM_FORM = {
  message: "Please confirm",
  requestedSchema: { type: "object" as const, properties: { ok: { type: "boolean" } }, required: ["ok"] },
};

/** The text a form answer holds under `field` (or a stand-in when it has none). */
export function answerText(answer: { content?: Record<string, unknown> }, field: string): string {
  const value = answer.content?.[field];
  return typeof value === "string" ? value : "unknown";
}
