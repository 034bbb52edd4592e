import { setTimeout as sleep } from 'node:timers/promises';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUS = new Set([502, 503, 504]);
const ATTEMPTS = 3;

/** A network failure that a retry may cure (the request may not have reached the server, or it dropped). */
function transient(e: unknown): boolean {
  const code = (e as { cause?: { code?: string } }).cause?.code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE';
}

/**
 * fetch with retries for idempotent methods only, on 502/503/504 and connection resets, backing off
 * (200 ms, 400 ms, or the server's Retry-After up to 5 s). Cancellation stops the waiting too.
 */
export async function fetchWithRetry(url: URL, init: RequestInit & { method: string; signal: AbortSignal }): Promise<Response> {
  const retryable = IDEMPOTENT.has(init.method);
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, init);
      if (!retryable || attempt === ATTEMPTS || !RETRY_STATUS.has(response.status)) return response;
      const after = Number(response.headers.get('retry-after'));
      await response.body?.cancel();
      await sleep(Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 5000) : 200 * 2 ** (attempt - 1), undefined, { signal: init.signal });
    } catch (e) {
      if (!retryable || attempt === ATTEMPTS || !transient(e) || init.signal.aborted) throw e;
      await sleep(200 * 2 ** (attempt - 1), undefined, { signal: init.signal });
    }
  }
}
