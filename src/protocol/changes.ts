/**
 * What changed on the server: one of its lists, one resource's contents, or something an extension
 * tracks (a task). `remote`: it happened on another replica (told by the server's `bus`), so this
 * process's lists cannot say whether a caller's view of them changed.
 */
export type Change = (
  | { readonly kind: "tools" | "prompts" | "resources" }
  | { readonly kind: "resource"; readonly uri: string }
  | { readonly kind: "extension"; readonly id: string; readonly data: unknown }
) & { readonly remote?: true };

export type ChangeListener = (change: Change) => void;

/** Fan-out of server changes to whoever listens: `subscriptions/listen` streams, stdio peers, HTTP sessions. */
export class ChangeFeed {
  readonly #listeners = new Set<ChangeListener>();

  listen(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Set by the server's `bus`: sends each change made here to the other replicas. */
  relay: ((change: Change) => void) | undefined;

  /** A change made here: told to this process's listeners, and to the other replicas through the relay. */
  publish(change: Change): void {
    this.deliver(change);
    this.relay?.(change);
  }

  /** Tells this process's listeners only (a change another replica relayed). */
  deliver(change: Change): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch {
        // One broken stream must not keep the others from hearing about the change.
      }
    }
  }
}

/** The 2025-era notification for a change, or undefined when the peer did not ask for it. */
export function legacyNotification(change: Change, subscriptions: ReadonlySet<string>): string | undefined {
  if (change.kind === "extension") return undefined;
  if (change.kind === "resource") {
    return subscriptions.has(change.uri)
      ? JSON.stringify({ jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri: change.uri } })
      : undefined;
  }
  return `{"jsonrpc":"2.0","method":"notifications/${change.kind}/list_changed"}`;
}
