// Public API of "http-mcp/events": one structured event per request the server answers.
export { logEvents, requestEvents, type EventLogger, type RequestEvent } from "./request-events.js";
