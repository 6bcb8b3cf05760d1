import type { HeaderReader } from "../definitions/context.js";
import type { LegacyPeer } from "./legacy-peer.js";

/** Where a message came from, as far as the protocol rules differ between transports. */
export interface Channel {
  /** The HTTP request's headers: enables the 2026-07-28 header checks. Absent on stdio. */
  readonly headers?: HeaderReader | undefined;
  /** The 2025-era peer (a stdio process or an HTTP session); absent for stateless HTTP. */
  readonly peer?: LegacyPeer | undefined;
}
