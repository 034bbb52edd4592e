import { discard, send, type Agents, type UpstreamError, type UpstreamRequest, type UpstreamResponse } from './client.js';
import type { CallLimit } from './limit.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUS = new Set([502, 503, 504]);
const ATTEMPTS = 3;

/** A network failure that a retry may cure (the request may not have reached the server, or it dropped). */
function transient(e: unknown): boolean {
  const code = (e as UpstreamError).code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

/**
 * One request with retries for idempotent methods only, on 502/503/504 and connection resets, backing off
 * (200 ms, 400 ms, or the server's Retry-After up to 5 s). A pooled connection the server had already
 * closed is retried at once: the request never reached it. Cancellation and the deadline stop the waiting too.
 */
export async function sendWithRetry(request: UpstreamRequest, limit: CallLimit, agents: Agents): Promise<UpstreamResponse> {
  const retryable = IDEMPOTENT.has(request.method);
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await send(request, limit, agents);
      if (!retryable || attempt === ATTEMPTS || !RETRY_STATUS.has(response.status)) return response;
      const after = Number(response.headers['retry-after']);
      discard(response);
      await limit.sleep(Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 5000) : 200 * 2 ** (attempt - 1));
    } catch (e) {
      if (!retryable || attempt === ATTEMPTS || !transient(e) || limit.stopped) throw e;
      if (!(e as UpstreamError).staleConnection) await limit.sleep(200 * 2 ** (attempt - 1));
    }
  }
}
