import type { JsonRpcId } from '../core/context.js';

/** A decoded JSON-RPC message, classified; anything else is a protocol error for the transport to answer. */
export type Incoming =
  | { readonly type: 'request'; readonly id: JsonRpcId; readonly method: string; readonly params: unknown }
  | { readonly type: 'notification'; readonly method: string; readonly params: unknown }
  | {
      readonly type: 'response';
      readonly id: JsonRpcId;
      readonly message: { id: JsonRpcId; result?: unknown; error?: { code?: number; message?: string } };
    }
  | { readonly type: 'invalid'; readonly id: JsonRpcId | null; readonly reason: string };

export function classify(value: unknown): Incoming {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return {
      type: 'invalid',
      id: null,
      reason: Array.isArray(value) ? 'batches are not supported' : 'a JSON-RPC message must be an object'
    };
  }
  const m = value as Record<string, unknown>;
  const id = typeof m.id === 'string' || (typeof m.id === 'number' && Number.isFinite(m.id)) ? (m.id as JsonRpcId) : null;
  if (m.jsonrpc !== '2.0') return { type: 'invalid', id, reason: 'jsonrpc must be "2.0"' };
  if (typeof m.method === 'string') {
    if (m.params !== undefined && (typeof m.params !== 'object' || m.params === null))
      return { type: 'invalid', id, reason: 'params must be an object' };
    if (!('id' in m)) return { type: 'notification', method: m.method, params: m.params };
    if (id === null) return { type: 'invalid', id: null, reason: 'id must be a string or a number' };
    return { type: 'request', id, method: m.method, params: m.params };
  }
  if (id !== null && ('result' in m || 'error' in m)) return { type: 'response', id, message: m as { id: JsonRpcId; result?: unknown } };
  return { type: 'invalid', id, reason: 'not a request, notification or response' };
}

export function cancelledRequestId(params: unknown): JsonRpcId | undefined {
  const id = (params as { requestId?: unknown } | undefined)?.requestId;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}
