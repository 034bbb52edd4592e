import type { ServerResponse } from 'node:http';
import type { Body } from '../core/envelope.js';
import type { LegacySession } from './sessions.js';
import { SSE_HEADERS, sseEvent, writable } from './sse.js';

const JSON_TYPE = { 'content-type': 'application/json' } as const;
/** SSE `retry:` hint for clients that reconnect to a closed stream. */
const RETRY_MS = 1000;
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * A JSON reply with its length (Node then sends headers and body together instead of chunked encoding); a
 * page goes out as its head and its shared bytes in one corked write.
 */
export function writeJson(
  res: ServerResponse,
  status: number,
  body: Body,
  headers: Record<string, string> = { 'content-type': 'application/json' }
): void {
  const head: Record<string, string | number> = headers;
  head['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(status, head);
  if (typeof body === 'string') return void res.end(body);
  res.cork();
  res.write(body.head);
  res.end(body.page);
  res.uncork();
}

/**
 * One POST's response: plain JSON unless a notification comes first, then an SSE stream
 * (in a 2025 session, with event ids so a broken stream can be resumed).
 */
export class ResponseStream {
  private streamId: string | undefined;
  private sse = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly session: LegacySession | undefined,
    /** Told when the answer becomes an SSE stream (its metrics). */
    private readonly onStream?: (res: ServerResponse) => void
  ) {}

  notify(message: string): void {
    if (!this.sse) this.open();
    if (this.streamId !== undefined) this.session!.send(this.streamId, message, false);
    else if (writable(this.res)) this.res.write(sseEvent(message));
  }

  finish(body: Body, status: number, headers: Readonly<Record<string, string>> = NO_HEADERS): void {
    if (!this.sse) {
      if (writable(this.res))
        writeJson(
          this.res,
          status,
          body,
          this.session || headers !== NO_HEADERS
            ? { ...JSON_TYPE, ...headers, ...(this.session ? { 'mcp-session-id': this.session.id } : {}) }
            : undefined
        );
      return;
    }
    const text = String(body);
    if (this.streamId !== undefined) this.session!.send(this.streamId, text, true);
    else if (writable(this.res)) this.res.end(sseEvent(text));
  }

  /**
   * SEP-1699 polling: ends the connection while the call goes on; the client reconnects with GET and
   * Last-Event-ID and gets the rest (2025 sessions only; elsewhere there is nothing to resume, so it is a no-op).
   */
  close(): void {
    if (!this.session) return;
    if (!this.sse) this.open();
    if (writable(this.res)) this.res.end();
  }

  private open(): void {
    this.sse = true;
    if (!writable(this.res)) return;
    this.res.writeHead(200, this.session ? { ...SSE_HEADERS, 'mcp-session-id': this.session.id } : SSE_HEADERS);
    this.onStream?.(this.res);
    if (this.session) {
      const id = (this.streamId = this.session.openStream(this.res));
      // A priming event with an id and a retry hint: the client can resume even before any message arrived.
      this.res.write(`id: ${id}.0\nretry: ${RETRY_MS}\ndata: \n\n`);
      this.res.on('close', () => this.session!.detach(id, this.res));
    }
  }
}
