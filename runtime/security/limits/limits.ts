import { randomUUID } from 'node:crypto';
import type { LimitsIR, RateIR } from '../../artifact/ir.js';
import type { RequestContext } from '../../core/context.js';
import { RpcError } from '../../core/errors.js';
import { noteOutcome } from '../../core/outcome.js';
import type { Call, Middleware } from '../../core/pipeline.js';
import { textResult } from '../../kinds/kind.js';
import type { Logger } from '../../log.js';
import { StoreHealth } from './store-health.js';
import type { Admission, Bucket, Lease, LimitStore } from './store.js';

/** A shared lease lives this long without renewal: a crashed instance's running calls free their slots by then. */
export const LEASE_TTL_MS = 30_000;
/** What a refused call is told when the store is down; it is a guess, not a promise. */
const STORE_DOWN_RETRY_SECONDS = 5;

type Scope = 'global' | 'principal' | 'tool' | 'principalTool';

export interface Limits {
  /** Runs after authorization: a refused caller spends no tokens. */
  readonly middleware: Middleware;
}

const describe: Record<Scope, string> = {
  global: 'for all callers together',
  principal: 'for each caller',
  tool: 'for this tool, all callers together',
  principalTool: 'for this tool, for each caller'
};

/**
 * Token buckets (global, per principal, per tool, per principal and tool) and per-tool concurrency, taken in
 * one atomic step of the store. Global and per-principal limits answer before the call with a JSON-RPC error
 * (HTTP 429, Retry-After); per-tool limits answer with a tool error the model can read.
 */
export function createLimits(
  config: LimitsIR,
  store: LimitStore,
  options: { readonly namespace: string; readonly log: Logger; readonly keyPrefix?: string }
): Limits {
  const { log } = options;
  const prefix = `${options.keyPrefix ?? 'mcpgen:'}rl:${encodeURIComponent(options.namespace)}:`;
  /** Request-wide buckets are taken once per request, even when a resource read tries several templates. */
  const admitted = new WeakSet<RequestContext>();
  const health = store.health ?? new StoreHealth('', log);
  health.policy = config.onStoreError;

  const bucket = (scope: Scope, rate: RateIR, ...parts: string[]): { bucket: Bucket; scope: Scope; rate: RateIR } => ({
    bucket: {
      key: `${prefix}${scope}:${parts.map(encodeURIComponent).join(':')}`,
      capacity: rate.burst,
      perMs: rate.limit / rate.windowMs
    },
    scope,
    rate
  });

  const middleware: Middleware = async <T>(call: Call, next: () => Promise<T>): Promise<T> => {
    const who = call.request.principal?.name ?? 'anonymous';
    const wanted: ReturnType<typeof bucket>[] = [];
    if (!admitted.has(call.request)) {
      if (config.global) wanted.push(bucket('global', config.global));
      if (config.principal) wanted.push(bucket('principal', config.principal, who));
    }
    let lease: Lease | undefined;
    if (call.type === 'tool') {
      const own = config.tools[call.target] ?? {};
      const tool = own.tool ?? config.tool;
      const principalTool = own.principalTool ?? config.principalTool;
      if (tool) wanted.push(bucket('tool', tool, call.target));
      if (principalTool) wanted.push(bucket('principalTool', principalTool, call.target, who));
      const max = own.concurrency ?? config.concurrency;
      if (max !== undefined)
        lease = { key: `${prefix}running:${encodeURIComponent(call.target)}`, max, id: randomUUID(), ttlMs: LEASE_TTL_MS };
    }
    admitted.add(call.request);
    if (wanted.length === 0 && !lease) return next();

    let admission: Admission;
    try {
      admission = await store.admit(
        wanted.map((w) => w.bucket),
        lease
      );
    } catch (e) {
      // One log line per outage, not per call (see StoreHealth); the call goes as onStoreError says.
      health.unreachable((e as Error).message);
      health.decided(config.onStoreError);
      if (config.onStoreError === 'open') return next();
      throw new RpcError(
        'limitStoreUnavailable',
        `Service unavailable: rate limits cannot be checked right now; retry in ${STORE_DOWN_RETRY_SECONDS} seconds`,
        { retryAfterSeconds: STORE_DOWN_RETRY_SECONDS },
        { 'retry-after': String(STORE_DOWN_RETRY_SECONDS) }
      );
    }

    health.reachable();
    if (!admission.ok) {
      noteOutcome(call.request, 'limited');
      const seconds = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
      if (admission.failed === -1) {
        return textResult(
          `Tool ${call.target} is busy: ${lease!.max} call(s) of it are already running, its limit. Retry ` +
            `in a few seconds, when one has finished.`,
          true
        ) as T;
      }
      const hit = wanted[admission.failed]!;
      const what = `${hit.rate.text} ${describe[hit.scope]}`;
      if (hit.scope === 'global' || hit.scope === 'principal') {
        throw new RpcError(
          'rateLimited',
          `Too many requests: the limit is ${what}; retry in ${seconds} seconds`,
          { retryAfterSeconds: seconds, limit: hit.scope },
          { 'retry-after': String(seconds) }
        );
      }
      const at = new Date(Date.now() + seconds * 1000).toISOString();
      return textResult(
        `Rate limit reached for tool ${call.target} (${what}). Retry in ${seconds} seconds (after ${at}); calling sooner fails again.`,
        true
      ) as T;
    }
    if (!lease) return next();
    const held = lease;
    const renewal = setInterval(() => void store.renew(held).catch(() => {}), LEASE_TTL_MS / 3);
    renewal.unref();
    try {
      return await next();
    } finally {
      clearInterval(renewal);
      // A lost release only keeps the slot until the lease expires.
      store
        .release(held)
        .catch((e: Error) => log.warn(`rate-limit store: releasing a concurrency slot of ${call.target} failed (${e.message})`));
    }
  };

  return { middleware };
}
