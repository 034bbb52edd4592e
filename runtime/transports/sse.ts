import type { ServerResponse } from 'node:http';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no'
} as const;

export function sseEvent(data: string, id?: string): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}event: message\ndata: ${data}\n\n`;
}

export function writable(res: ServerResponse | undefined): res is ServerResponse {
  return res !== undefined && !res.writableEnded && !res.destroyed;
}
