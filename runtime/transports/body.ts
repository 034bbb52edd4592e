import type { IncomingMessage } from 'node:http';
import { onDeadline } from './limits.js';

/** Reads and drops what is left of a refused body, for at most `ms`. */
export function discardRest(req: IncomingMessage, ms: number): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, ms);
    req.once('end', done).once('close', done).once('error', done).resume();
  });
}

/**
 * Bytes of request bodies held, across all connections of one server: each body is bounded by `maxBodyBytes`,
 * but hundreds of slow uploads, or of bodies waiting for slow calls, could together hold gigabytes. A body
 * counts from its first byte until its request is answered (`release`).
 */
export class BodyBudget {
  private used = 0;
  private readonly held = new WeakMap<IncomingMessage, number>();
  constructor(readonly max: number) {}

  /** The body of `req`, fully read, stays counted until `release(req)`. */
  hold(req: IncomingMessage, bytes: number): void {
    this.held.set(req, bytes);
  }

  release(req: IncomingMessage): void {
    this.give(this.held.get(req) ?? 0);
    this.held.delete(req);
  }

  take(bytes: number): boolean {
    if (this.used + bytes > this.max) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used -= bytes;
  }

  get inUse(): number {
    return this.used;
  }
}

/**
 * The body as text; undefined when larger than `limit` bytes; 'timeout' when it has not all arrived within `ms`;
 * 'busy' when the server's `budget` for bodies being received has no room for it.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  ms = 30_000,
  budget = new BodyBudget(Infinity)
): Promise<string | undefined | 'timeout' | 'busy'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => {
      cancel();
      budget.give(size);
      size = 0;
    };
    const stop = (outcome: undefined | 'timeout' | 'busy') => {
      finish();
      chunks.length = 0;
      req.removeAllListeners('data');
      req.resume();
      resolve(outcome);
    };
    const cancel = onDeadline(ms, () => stop('timeout'));
    req.on('data', (c: Buffer) => {
      if (size + c.length > limit) return stop(undefined);
      if (!budget.take(c.length)) return stop('busy');
      size += c.length;
      chunks.push(c);
    });
    req.on('end', () => {
      cancel();
      budget.hold(req, size);
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (e) => {
      finish();
      reject(e);
    });
  });
}
