import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where audit lines go. `close` must be synchronous: it runs on shutdown paths that do not wait. */
export interface AuditSink {
  write(line: string): void;
  /** Writes what is buffered and makes it durable; later lines are written (and synced) one by one. */
  close(): void;
}

/** stderr: the process's log stream; Node writes it synchronously to files and pipes, so nothing waits in memory. */
export class StderrSink implements AuditSink {
  constructor(private readonly out: { write(s: string): unknown } = process.stderr) {}
  write(line: string): void {
    this.out.write(line);
  }
  close(): void {}
}

/** Buffer size that triggers a write before the timer does. */
const MAX_BUFFERED = 64 * 1024;

/**
 * An append-only file (opened with 'a', so every write lands at the end, even with several writers). Lines
 * are buffered and written every `flushMs` or every 64 KiB; `close` writes the rest and fsyncs. A line that
 * comes after `close` (a call that was still running) is written and synced at once, and the descriptor is
 * closed when the process exits, so no line is lost on a graceful shutdown.
 */
export class FileSink implements AuditSink {
  private readonly fd: number;
  private buffered: string[] = [];
  private size = 0;
  private closed = false;
  private released = false;
  private readonly timer: NodeJS.Timeout;
  private readonly onExit = () => this.finish();

  constructor(
    readonly path: string,
    flushMs: number
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a', 0o600);
    this.timer = setInterval(() => this.flush(), flushMs);
    this.timer.unref();
    process.once('exit', this.onExit);
  }

  write(line: string): void {
    if (this.released) return;
    if (this.closed) {
      writeSync(this.fd, line);
      fsyncSync(this.fd);
      return;
    }
    this.buffered.push(line);
    this.size += line.length;
    if (this.size >= MAX_BUFFERED) this.flush();
  }

  flush(): void {
    if (this.buffered.length === 0) return;
    const data = this.buffered.join('');
    this.buffered = [];
    this.size = 0;
    writeSync(this.fd, data);
  }

  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    this.flush();
    fsyncSync(this.fd);
    this.closed = true;
  }

  /** Process exit: the last chance; the descriptor is released. */
  private finish(): void {
    this.close();
    this.released = true;
    closeSync(this.fd);
  }

  /** Releases the file now (when the sink is replaced); later lines are dropped. */
  dispose(): void {
    if (this.released) return;
    process.off('exit', this.onExit);
    this.finish();
  }
}
