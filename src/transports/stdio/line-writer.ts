import type { Writable } from "node:stream";

const FLUSH_AT = 64 * 1024;

/**
 * Writes one JSON text per line. Lines produced in the same turn of the event loop go out in one
 * write (one syscall for a burst of replies instead of one each).
 */
export class LineWriter {
  #buffer = "";
  #scheduled = false;
  #closed = false;

  constructor(
    private readonly output: Writable,
    /** Called when the output fails (e.g. EPIPE: the client went away); nothing is written afterwards. */
    private readonly onBroken: (error: unknown) => void,
    /** How to write to `output` (the guarded original for process.stdout). */
    private readonly write: (text: string) => boolean = (text) => output.write(text),
  ) {
    output.on("error", this.#broken);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** True while the output's buffer is over its high-water mark: stop reading until "drain". */
  get congested(): boolean {
    return this.output.writableNeedDrain;
  }

  writeLine(json: string): void {
    if (this.#closed) return;
    this.#buffer += json + "\n";
    if (this.#buffer.length >= FLUSH_AT) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.flush);
    }
  }

  readonly flush = (): void => {
    this.#scheduled = false;
    if (this.#closed || this.#buffer === "") return;
    const text = this.#buffer;
    this.#buffer = "";
    this.write(text);
  };

  /** Flushes, waits until the output took everything, then ends it (process.stdout is left open). */
  async close(endOutput: boolean): Promise<void> {
    this.flush();
    if (this.#closed) return;
    this.#closed = true;
    await new Promise<void>((resolve) => {
      if (endOutput) this.output.end(resolve);
      else this.output.write("", () => resolve());
    });
    // The error listener stays: a late EPIPE on process.stdout must not become an uncaught exception.
  }

  readonly #broken = (error: unknown): void => {
    if (this.#closed) return;
    this.#closed = true;
    this.#buffer = "";
    this.onBroken(error);
  };
}
