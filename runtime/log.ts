import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import { PrettyDestination } from './log-pretty.js';
import { hasSecrets, redact, redactDeep } from './redact.js';

/**
 * The server log (pino): one JSON object per line (`time`, `level` by name, `msg`, then the fields), or for a
 * person at a terminal the one-line `mcp-gen <level>: message (field=value …)`. Always stderr: stdout is the stdio
 * protocol channel. Every message and field is redacted (known secrets masked) before it is serialised.
 * The fields mcp-gen writes are listed in docs/operations.md (request_id, session_id, trace_id, the access line's).
 */
export type ServerLogLevel = 'debug' | 'info' | 'warn' | 'error';
export const SERVER_LOG_LEVELS: readonly ServerLogLevel[] = ['debug', 'info', 'warn', 'error'];
export type LogFormat = 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];
/** Structured fields of one line: snake_case names, JSON values. */
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  enabled(level: ServerLogLevel): boolean;
  /** A logger whose every line also carries `fields` (request-scoped ones: request_id, session_id, trace_id). */
  child(fields: LogFields): Logger;
  /** Writes out what is still buffered (at shutdown; an exit flushes too). */
  flush(): void;
}

/** JSON unless stderr is a terminal (a person reads it): the `--log-format` default. */
export function defaultLogFormat(): LogFormat {
  return process.stderr.isTTY ? 'pretty' : 'json';
}

/**
 * A logger at `level`. Without `write` it writes to stderr (fd 2) in `format` (default: defaultLogFormat());
 * with `write` (tests, embedders) each line goes there, JSON unless `format` says pretty.
 */
export function createLogger(level: ServerLogLevel, write?: (line: string) => void, format?: LogFormat): Logger {
  const pretty = (format ?? (write ? 'json' : defaultLogFormat())) === 'pretty';
  const out = write ?? ((line: string) => process.stderr.write(line));
  const destination: DestinationStream = pretty ? new PrettyDestination(out) : write ? { write } : stderrDestination();
  return new PinoLogger(
    pino(
      {
        level,
        // No pid and hostname: collectors add where a line came from; time is ISO 8601 so people can read it too.
        base: undefined,
        timestamp: isoTime,
        formatters: { level: (label) => ({ level: label }) }
      },
      destination
    )
  );
}

let lastMs = 0;
let lastTime = '';

/** pino's isoTime, made once per millisecond: a busy server logs many lines in one. */
function isoTime(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}

let stderr: Batched | undefined;

/** Most a line waits before it is written, and most bytes held: lines of a busy second share few writes. */
const BATCH_MS = 10;
const BATCH_BYTES = 16 * 1024;

/**
 * fd 2, one process-wide destination (fd 2 is the process's). Lines are held for up to BATCH_MS (or BATCH_BYTES)
 * and leave in one write: under load, a write per access line cost more than the rest of the line (see
 * docs/operations.md). The write itself is synchronous (sonic-boom, `sync: true`, which retries EAGAIN on a
 * non-blocking pipe), so the exit handler writes what is held and nothing but the last BATCH_MS is lost on a
 * SIGKILL. The price: a stderr nobody reads stalls the process once the pipe is full, as Node's own stderr
 * writes do.
 */
function stderrDestination(): DestinationStream {
  if (!stderr) {
    const batched = new Batched(pino.destination({ fd: 2, sync: true }));
    process.once('exit', () => batched.flush());
    stderr = batched;
  }
  return stderr;
}

/** A destination that holds lines for BATCH_MS or BATCH_BYTES, then writes them at once (or at flush()). */
class Batched implements DestinationStream {
  private pending = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly out: DestinationStream) {}

  write(line: string): void {
    this.pending += line;
    if (this.pending.length >= BATCH_BYTES) this.flush();
    // Unref'd: held lines never keep a finished process alive (the exit handler writes them).
    else this.timer ??= setTimeout(() => this.flush(), BATCH_MS).unref();
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.out.write(text);
  }
}

/** One class for loggers and their children (methods on the prototype: a child per request is one allocation). */
class PinoLogger implements Logger {
  constructor(private readonly pino: Pino) {}

  debug(message: string, fields?: LogFields): void {
    if (this.pino.isLevelEnabled('debug')) this.emit('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    if (this.pino.isLevelEnabled('info')) this.emit('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    if (this.pino.isLevelEnabled('warn')) this.emit('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    if (this.pino.isLevelEnabled('error')) this.emit('error', message, fields);
  }

  enabled(level: ServerLogLevel): boolean {
    return this.pino.isLevelEnabled(level);
  }

  child(fields: LogFields): Logger {
    return new PinoLogger(this.pino.child(clean(fields)));
  }

  flush(): void {
    stderr?.flush();
    this.pino.flush();
  }

  private emit(level: ServerLogLevel, message: string, fields: LogFields | undefined): void {
    if (fields === undefined) this.pino[level](redact(message));
    else this.pino[level](clean(fields), redact(message));
  }
}

/** Fields with secrets masked; as given (no copy) while no secret is registered. */
function clean(fields: LogFields): Record<string, unknown> {
  return (hasSecrets() ? redactDeep(fields) : fields) as Record<string, unknown>;
}
