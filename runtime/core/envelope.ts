import type { Era, JsonRpcId } from './context.js';
import { META } from '../sdk.js';
import type { RpcError } from './errors.js';

/** A method's result: a value to serialise, or a pre-serialised JSON object (list pages). */
export type MethodResult = { readonly value: Record<string, unknown>; readonly cache?: CacheHint } | { readonly raw: string; readonly cache?: CacheHint };

/** 2026-07-28 caching hints (SEP-2549). */
export interface CacheHint {
  readonly ttlMs: number;
  readonly cacheScope: 'public' | 'private';
}

/**
 * Serialises responses for both eras. Modern results carry `resultType`, the server's info in `_meta` and,
 * on cacheable methods, caching hints; the suffix for pre-serialised pages is built once per hint.
 */
export class Envelope {
  private readonly serverInfoJson: string;
  private readonly suffixes = new Map<string, string>();

  constructor(private readonly serverInfo: Record<string, unknown>) {
    this.serverInfoJson = JSON.stringify({ [META.serverInfo]: serverInfo });
  }

  result(id: JsonRpcId, result: MethodResult, era: Era): string {
    const head = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":`;
    if ('raw' in result) {
      if (era === 'legacy') return `${head}${result.raw}}`;
      return `${head}${result.raw.slice(0, -1)}${this.suffix(result.cache)}}}`;
    }
    if (era === 'legacy') return `${head}${JSON.stringify(result.value)}}`;
    const value = result.value;
    const meta = { ...(value._meta as object | undefined), [META.serverInfo]: this.serverInfo };
    const resultType = (value.resultType as string | undefined) ?? 'complete';
    return `${head}${JSON.stringify({ ...value, resultType, ...(resultType === 'complete' ? (result.cache ?? {}) : {}), _meta: meta })}}`;
  }

  error(id: JsonRpcId | null, e: RpcError): string {
    const error = e.data === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, data: e.data };
    return JSON.stringify({ jsonrpc: '2.0', id, error });
  }

  notification(method: string, params: Record<string, unknown>): string {
    return JSON.stringify({ jsonrpc: '2.0', method, params });
  }

  private suffix(cache: CacheHint | undefined): string {
    const key = cache ? `${cache.ttlMs}:${cache.cacheScope}` : '';
    let s = this.suffixes.get(key);
    if (s === undefined) {
      const hint = cache ? `,"ttlMs":${cache.ttlMs},"cacheScope":"${cache.cacheScope}"` : '';
      s = `,"resultType":"complete"${hint},"_meta":${this.serverInfoJson}`;
      this.suffixes.set(key, s);
    }
    return s;
  }
}
