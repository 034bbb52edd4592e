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

/** The body as text; undefined when larger than `limit` bytes; 'timeout' when it has not all arrived within `ms`. */
export function readBody(req: IncomingMessage, limit: number, ms = 30_000): Promise<string | undefined | 'timeout'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (outcome: undefined | 'timeout') => {
      cancel();
      chunks.length = 0;
      req.removeAllListeners('data');
      req.resume();
      resolve(outcome);
    };
    const cancel = onDeadline(ms, () => stop('timeout'));
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) stop(undefined);
      else chunks.push(c);
    });
    req.on('end', () => {
      cancel();
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (e) => {
      cancel();
      reject(e);
    });
  });
}
