import type { Engine } from "./engine.js";

/**
 * An extension as a server installs it (SEP-2133): `tasks()` from `http-mcp/tasks`, `skills()`
 * from `http-mcp/skills`, or one of yours from `defineExtension()` in `http-mcp/extensions`.
 */
export interface Extension {
  /** Its identifier under `capabilities.extensions`, e.g. "io.modelcontextprotocol/tasks". */
  readonly id: string;
  /** Called once by the server it is given to: registers its methods and capability settings. Not for application code. */
  install(engine: Engine): void;
}
