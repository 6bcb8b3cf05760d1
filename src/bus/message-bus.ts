// The bus that joins the replicas of one server: changes made on one (`update()`,
// `notifyResourceUpdated()`, task status) reach the listeners of every other. Transports (Redis
// pub/sub, Postgres LISTEN/NOTIFY, in memory) only carry strings on named channels.
import type { Change } from "../protocol/changes.js";
import type { Engine } from "../protocol/engine.js";

/** What a bus sends its messages through: publish/subscribe of strings on named channels. */
export interface BusTransport {
  /** Sends `message` to every subscriber of `channel`, on every replica; rejects when the transport is unreachable. */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Calls `deliver` with each message published on `channel` (by any replica, this one included)
   * until `stop` is called. `report`, when given, hears what goes wrong with the subscription later
   * (a lost connection the transport re-establishes on its own).
   */
  subscribe(channel: string, deliver: (message: string) => void, report?: (error: unknown) => void): Promise<() => Promise<void>>;
  /** Releases what the transport opened itself (a connection it made from a URL). */
  close?(): Promise<void>;
}

/** Options shared by every bus. */
export interface BusOptions {
  /** Prefix of its channel names, so several servers can share one Redis or database (default "http-mcp:"). */
  prefix?: string;
}

interface Envelope {
  /** The attachment (one server instance) that published it: it does not hear its own changes twice. */
  readonly o: string;
  readonly c: Change;
}

/**
 * A server's link to the other replicas (`new MCPServer({ bus })`): `redisBus()` from
 * `http-mcp/redis`, `postgresBus()` from `http-mcp/postgres`, `memoryBus()` from `http-mcp/bus`, or
 * `messageBus(transport)` over a transport of yours. Each change is delivered once to every
 * replica's listeners: at once on the replica that made it, through the transport on the others.
 */
export class MessageBus {
  readonly #prefix: string;
  readonly #subscriptions = new Set<Promise<unknown>>();

  constructor(
    readonly transport: BusTransport,
    options: BusOptions = {},
  ) {
    this.#prefix = options.prefix ?? "http-mcp:";
  }

  /** The full name of one of the bus's channels. */
  channel(name: string): string {
    return this.#prefix + name;
  }

  /** Resolves once every subscription made so far is in place (a change published before may be missed). */
  async ready(): Promise<void> {
    await Promise.all(this.#subscriptions);
  }

  /**
   * Subscribes to `channel` (the bus's name for it) for as long as `signal` has not fired. A failed
   * subscription is reported, never thrown: the replica still serves what needs no bus.
   */
  listen(name: string, deliver: (message: string) => void, report: (error: unknown) => void, signal: AbortSignal): void {
    const subscribing = this.transport.subscribe(this.channel(name), deliver, report).then(
      (stop) => (signal.aborted ? void stop().catch(report) : signal.addEventListener("abort", () => void stop().catch(report), { once: true })),
      report,
    );
    this.#subscriptions.add(subscribing);
  }

  /** Sends a message on one of the bus's channels; failures go to `report`. */
  send(name: string, message: string, report: (error: unknown) => void): void {
    this.transport.publish(this.channel(name), message).catch(report);
  }

  /** Called once by the server it is given to: relays its changes both ways. Not for application code. */
  attach(engine: Engine): void {
    const origin = crypto.randomUUID();
    const report = (error: unknown) => engine.report(error, "bus");
    engine.changes.relay = (change) => this.send("changes", JSON.stringify({ o: origin, c: change } satisfies Envelope), report);
    this.listen(
      "changes",
      (message) => {
        const change = parseChange(message, origin);
        if (change) engine.changes.deliver({ ...change, remote: true });
      },
      report,
      engine.closing,
    );
  }

  /** Closes what the transport opened itself. */
  async close(): Promise<void> {
    await this.transport.close?.();
  }
}

/** A change another attachment published; undefined for this one's own, and for anything malformed. */
function parseChange(message: string, origin: string): Change | undefined {
  let envelope: Partial<Envelope>;
  try {
    envelope = JSON.parse(message) as Partial<Envelope>;
  } catch {
    return undefined;
  }
  if (envelope === null || typeof envelope !== "object" || envelope.o === origin) return undefined;
  const change = envelope.c as Record<string, unknown> | undefined;
  if (change === null || typeof change !== "object") return undefined;
  switch (change.kind) {
    case "tools":
    case "prompts":
    case "resources":
      return { kind: change.kind };
    case "resource":
      return typeof change.uri === "string" ? { kind: "resource", uri: change.uri } : undefined;
    case "extension":
      return typeof change.id === "string" ? { kind: "extension", id: change.id, data: change.data } : undefined;
    default:
      return undefined;
  }
}

/** A bus over a transport of yours (NATS, a message queue, …). */
export function messageBus(transport: BusTransport, options?: BusOptions): MessageBus {
  return new MessageBus(transport, options);
}
