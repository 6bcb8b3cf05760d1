const NEWLINE = 0x0a;

/**
 * Cuts a byte stream into newline-terminated lines of at most `maxBytes` bytes. A longer line is
 * reported once, as soon as it crosses the cap, and the rest of it is skipped as it streams by:
 * it is never held in memory.
 */
export class LineSplitter {
  #parts: Uint8Array[] = [];
  #size = 0;
  #discarding = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: Uint8Array) => void,
    private readonly onOversize: () => void,
  ) {}

  push(chunk: Uint8Array): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (!this.#discarding) this.#take(chunk.subarray(start, end), newline !== -1);
      if (newline === -1) return;
      this.#discarding = false;
      start = newline + 1;
    }
  }

  /** The input ended: a last line without its newline is still a line. */
  end(): void {
    if (!this.#discarding && this.#size > 0) this.#emit(new Uint8Array(0));
    this.#discarding = false;
  }

  #take(piece: Uint8Array, complete: boolean): void {
    if (this.#size + piece.length > this.maxBytes) {
      this.#parts = [];
      this.#size = 0;
      this.#discarding = !complete;
      this.onOversize();
    } else if (complete) {
      this.#emit(piece);
    } else if (piece.length > 0) {
      // The chunk's memory is reused by some streams: keep a copy of an unfinished line.
      this.#parts.push(piece.slice());
      this.#size += piece.length;
    }
  }

  #emit(last: Uint8Array): void {
    if (this.#size === 0) return this.onLine(last);
    const line = new Uint8Array(this.#size + last.length);
    let offset = 0;
    for (const part of this.#parts) {
      line.set(part, offset);
      offset += part.length;
    }
    line.set(last, offset);
    this.#parts = [];
    this.#size = 0;
    this.onLine(line);
  }
}
