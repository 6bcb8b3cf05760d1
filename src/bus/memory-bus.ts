import { MessageBus, type BusOptions, type BusTransport } from "./message-bus.js";

/**
 * A bus within one process: servers given the same `memoryBus()` behave as replicas sharing a
 * Redis (for tests, and for several servers in one process). Messages are delivered on a later
 * microtask, as a network transport would.
 */
export function memoryBus(options?: BusOptions): MessageBus {
  const channels = new Map<string, Set<(message: string) => void>>();
  const transport: BusTransport = {
    async publish(channel, message) {
      for (const deliver of channels.get(channel) ?? []) queueMicrotask(() => deliver(message));
    },
    async subscribe(channel, deliver) {
      let subscribers = channels.get(channel);
      if (!subscribers) channels.set(channel, (subscribers = new Set()));
      const own = (message: string) => deliver(message); // one entry per subscription, even for the same function
      subscribers.add(own);
      return async () => void subscribers.delete(own);
    },
  };
  return new MessageBus(transport, options);
}
