const NEWLINE = 0x0a;

export interface LineSink {
  /** One whole line, decoded as UTF-8, without its newline. */
  line(text: string): void;
  /** A line passed the limit: called once, as soon as it does; the rest of the line is dropped. */
  tooLong(): void;
}

/**
 * Splits a byte stream into newline-delimited lines. It splits on the newline byte before decoding: in UTF-8 the
 * byte 0x0A occurs only as a newline, never inside a multi-byte character, so a character cut between chunks is
 * decoded whole. Only new bytes are searched for the newline, and at most `maxBytes` of a line are kept.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  /** Inside a line that passed the limit: bytes are dropped until its newline. */
  private skipping = false;

  constructor(
    private readonly maxBytes: number,
    private readonly sink: LineSink
  ) {}

  /** Bytes of the unfinished line held (never more than `maxBytes`). */
  get bufferedBytes(): number {
    return this.size;
  }

  push(chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    while (start <= bytes.length) {
      const nl = bytes.indexOf(NEWLINE, start);
      if (nl !== -1 && this.size === 0 && !this.skipping && nl - start <= this.maxBytes) {
        // The usual case, a whole line inside one chunk: decoded in place, nothing kept.
        this.sink.line(bytes.toString('utf8', start, nl));
        start = nl + 1;
        continue;
      }
      this.keep(bytes.subarray(start, nl === -1 ? bytes.length : nl));
      if (nl === -1) return;
      if (this.skipping) this.skipping = false;
      else this.flush();
      start = nl + 1;
    }
  }

  /** End of input: an unterminated last line is delivered too. */
  end(): void {
    if (!this.skipping && this.size > 0) this.flush();
    this.skipping = false;
  }

  private keep(piece: Buffer): void {
    if (this.skipping || piece.length === 0) return;
    if (this.size + piece.length > this.maxBytes) {
      this.parts = [];
      this.size = 0;
      this.skipping = true;
      this.sink.tooLong();
      return;
    }
    this.parts.push(piece);
    this.size += piece.length;
  }

  private flush(): void {
    const line = this.parts.length === 1 ? this.parts[0]!.toString('utf8') : Buffer.concat(this.parts, this.size).toString('utf8');
    this.parts = [];
    this.size = 0;
    this.sink.line(line);
  }
}
