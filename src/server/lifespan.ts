/**
 * Creates the application state at startup and disposes of it at shutdown. Either a generator
 * that yields the state once and cleans up after the yield (like Python's asynccontextmanager),
 * or a function that returns the state (nothing to clean up).
 */
export type Lifespan<State> = () => AsyncGenerator<State, void, void> | Generator<State, void, void> | Promise<State> | State;

type AnyIterator<State> = AsyncIterator<State, void, void> | Iterator<State, void, void>;

function isIterator(value: unknown): value is AnyIterator<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { next?: unknown }).next === "function" &&
    (Symbol.asyncIterator in value || Symbol.iterator in value)
  );
}

/** One run of a lifespan: `enter()` yields the state, `exit()` resumes the generator to clean up. */
export class LifespanRun<State> {
  private iterator: AnyIterator<State> | undefined;

  constructor(private readonly lifespan: Lifespan<State> | undefined) {}

  async enter(): Promise<State> {
    if (!this.lifespan) return undefined as State;
    const produced = this.lifespan();
    if (!isIterator(produced)) return await produced;
    this.iterator = produced as AnyIterator<State>;
    const first = await this.iterator.next();
    if (first.done) throw new Error("lifespan generator finished without yielding the state");
    return first.value;
  }

  async exit(): Promise<void> {
    const iterator = this.iterator;
    this.iterator = undefined;
    if (!iterator) return;
    const after = await iterator.next();
    if (!after.done) {
      await iterator.return?.();
      throw new Error("lifespan generator must yield exactly once");
    }
  }
}
