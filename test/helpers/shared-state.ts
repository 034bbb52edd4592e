/**
 * Raw 2025-11-25 session helpers for the tests of shared state (test/e2e/scale-out, test/multi): open and end a
 * session, open a GET event stream (optionally resuming after a `Last-Event-ID`), read its events, and wait until a
 * stream's event log in Redis holds a number of events.
 */
import { writeFileSync } from 'node:fs';
import { LEGACY, post } from './e2e-server.js';

export const session = (id: string) => ({ 'mcp-session-id': id, 'mcp-protocol-version': LEGACY });

export async function initialize(url: string): Promise<{ status: number; id: string | null }> {
  const init = await post(url, {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'raw', version: '1' } }
  });
  const id = init.headers.get('mcp-session-id');
  if (id) await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, session(id));
  return { status: init.status, id };
}

export const end = (url: string, id: string) => fetch(url, { method: 'DELETE', headers: session(id) });

export const openGet = (url: string, id: string, lastEventId?: string) =>
  fetch(url, { headers: { accept: 'text/event-stream', ...session(id), ...(lastEventId ? { 'last-event-id': lastEventId } : {}) } });

export interface SseEvent {
  readonly id: string;
  readonly data: string;
}

/** Reads SSE events (id and data) from a GET stream until `count` arrived, then cancels the stream. */
export async function readEvents(res: Response, count: number): Promise<SseEvent[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let text = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    let cut = text.indexOf('\n\n');
    while (cut !== -1) {
      const block = text.slice(0, cut);
      text = text.slice(cut + 2);
      const id = /^id: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (id && data) events.push({ id, data });
      cut = text.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return events;
}

/**
 * Changes `watched` until the session's standalone stream log (under `prefix` in the Redis at `redis`) holds
 * `atLeast` events; resolves with its count.
 */
export async function waitForLog(redis: string, prefix: string, watched: string, sessionId: string, atLeast: number): Promise<number> {
  const { Redis } = await import('ioredis');
  const client = new Redis(redis);
  try {
    for (;;) {
      writeFileSync(watched, `changed again ${Date.now()}\n`);
      const n = Number((await client.get(`${prefix}ev:${sessionId}:g:n`)) ?? 0);
      if (n >= atLeast) return n;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await client.quit();
  }
}

/** Deletes every key under `prefix` (a test's own) from the Redis at `redis`. */
export async function dropKeys(redis: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis(redis);
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
}
