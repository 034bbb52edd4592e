import type { Era, JsonRpcId } from './context.js';
import { META } from '../sdk.js';
import type { RpcError } from './errors.js';

/**
 * A pre-serialised page as a reply: the request's own head (`{"jsonrpc":"2.0","id":…,"result":`) and the page's
 * shared bytes, written one after the other rather than copied into a new buffer for every request.
 */
export class PageBody {
  readonly length: number;

  constructor(
    readonly head: Buffer,
    readonly page: Buffer
  ) {
    this.length = head.length + page.length;
  }

  toString(): string {
    return this.head.toString('utf8') + this.page.toString('utf8');
  }
}

/** A serialised response: text, or a page's bytes. */
export type Body = string | PageBody;

/** A method's result: a value to serialise, or a pre-serialised JSON object (list pages). */
export type MethodResult =
  | { readonly value: Record<string, unknown>; readonly cache?: CacheHint }
  | { readonly raw: string; readonly cache?: CacheHint };

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
  private readonly suffixes = new WeakMap<CacheHint, string>();
  private bare: string | undefined;
  private readonly pages = new Map<string, Map<string, Buffer>>();

  constructor(private readonly serverInfo: Record<string, unknown>) {
    this.serverInfoJson = JSON.stringify({ [META.serverInfo]: serverInfo });
  }

  /** A pre-serialised page comes back as its bytes (encoded once per era) after the request's head, anything else as a string. */
  result(id: JsonRpcId, result: MethodResult, era: Era): Body {
    const head = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":`;
    if ('raw' in result) return new PageBody(Buffer.from(head), this.page(result.raw, result.cache, era));
    const value = result.value;
    if (era === 'legacy') return `${head}${JSON.stringify(value)}}`;
    const resultType = (value.resultType as string | undefined) ?? 'complete';
    if (value._meta === undefined && value.resultType === undefined && resultType === 'complete') {
      // The common case, without copying the value: its members, then the era's fields.
      const members = JSON.stringify(value).slice(1, -1);
      return `${head}{${members}${members === '' ? this.suffix(result.cache).slice(1) : this.suffix(result.cache)}}}`;
    }
    const meta = { ...(value._meta as object | undefined), [META.serverInfo]: this.serverInfo };
    return `${head}${JSON.stringify({ ...value, resultType, ...(resultType === 'complete' ? (result.cache ?? {}) : {}), _meta: meta })}}`;
  }

  /** A page's bytes with the era's fields and the closing braces, encoded on first use. */
  private page(raw: string, cache: CacheHint | undefined, era: Era): Buffer {
    const key = `${era}:${cache?.ttlMs ?? ''}:${cache?.cacheScope ?? ''}`;
    let byPage = this.pages.get(key);
    if (!byPage) this.pages.set(key, (byPage = new Map()));
    let bytes = byPage.get(raw);
    if (!bytes) {
      bytes = Buffer.from(era === 'legacy' ? `${raw}}` : `${raw.slice(0, -1)}${this.suffix(cache)}}}`);
      byPage.set(raw, bytes);
    }
    return bytes;
  }

  error(id: JsonRpcId | null, e: RpcError): string {
    const error = e.data === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, data: e.data };
    return JSON.stringify({ jsonrpc: '2.0', id, error });
  }

  notification(method: string, params: Record<string, unknown>): string {
    return JSON.stringify({ jsonrpc: '2.0', method, params });
  }

  /**
   * Memoised by the hint object: the fixed hints (cacheHints) are built once; a cached read's hint counts down,
   * so each is a new object that is dropped with it (a map by value would grow by one entry per millisecond).
   */
  private suffix(cache: CacheHint | undefined): string {
    if (!cache) return (this.bare ??= `,"resultType":"complete","_meta":${this.serverInfoJson}`);
    let s = this.suffixes.get(cache);
    if (s === undefined) {
      s = `,"resultType":"complete","ttlMs":${cache.ttlMs},"cacheScope":"${cache.cacheScope}","_meta":${this.serverInfoJson}`;
      this.suffixes.set(cache, s);
    }
    return s;
  }
}
