import type { LogLevel } from '../../sdk.js';
import type { ToolResult } from '../../kinds/kind.js';

/**
 * Messages between the server (host) and a sandboxed handler (guest), a worker thread or a child process.
 * Everything crosses by structured clone; the handler context is rebuilt on the guest side from these.
 */
export type AskMethod = 'elicit' | 'sample' | 'listRoots';

/** An error as it crosses the boundary; `rpc` marks an RpcError thrown on purpose by the handler. */
export interface WireError {
  readonly message: string;
  readonly stack?: string;
  readonly rpc?: { readonly name: string; readonly data?: unknown };
}

export interface CallContext {
  readonly requestId: string | number;
  readonly toolName: string;
  readonly clientCapabilities: Readonly<Record<string, unknown>>;
  readonly state: Record<string, unknown>;
}

export type HostMessage =
  | { readonly t: 'load'; readonly module: string }
  | { readonly t: 'call'; readonly id: number; readonly module: string; readonly args: Record<string, unknown>; readonly ctx: CallContext }
  | { readonly t: 'abort'; readonly id: number }
  | { readonly t: 'answer'; readonly id: number; readonly ask: number; readonly value?: unknown; readonly error?: WireError };

export type GuestMessage =
  | { readonly t: 'ready' }
  /** The handler's console output (worker threads): the host writes it to stderr, redacted. */
  | { readonly t: 'output'; readonly text: string }
  | { readonly t: 'loaded'; readonly module: string; readonly error?: string }
  | { readonly t: 'log'; readonly id: number; readonly level: LogLevel; readonly message: string; readonly data?: unknown }
  | { readonly t: 'progress'; readonly id: number; readonly progress: number; readonly total?: number; readonly message?: string }
  | { readonly t: 'closeStream'; readonly id: number }
  | {
      readonly t: 'ask';
      readonly id: number;
      readonly ask: number;
      readonly method: AskMethod;
      readonly params: Record<string, unknown>;
      readonly key?: string;
      readonly state: Record<string, unknown>;
    }
  /** Sent after a turn in which the handler asked: every question of that turn has been sent. */
  | { readonly t: 'idle'; readonly id: number }
  | {
      readonly t: 'done';
      readonly id: number;
      readonly result?: ToolResult;
      readonly error?: WireError;
      readonly state: Record<string, unknown>;
    };

/** Duck-typed: the handler's RpcError may come from another copy of mcp-gen (its own node_modules). */
export function toWireError(e: unknown): WireError {
  // An RpcError the host raised for an ask (e.g. a missing client capability), passed back through the handler.
  const carried = (e as { rpc?: WireError['rpc'] } | null)?.rpc;
  if (e instanceof Error && carried) return { message: e.message, rpc: carried };
  if (
    e &&
    typeof e === 'object' &&
    !(e instanceof Error) &&
    typeof (e as { code?: unknown }).code === 'number' &&
    typeof (e as { name?: unknown }).name === 'string'
  ) {
    const r = e as { name: string; message?: unknown; data?: unknown };
    return { message: String(r.message ?? ''), rpc: { name: r.name, ...(r.data !== undefined ? { data: r.data } : {}) } };
  }
  if (e instanceof Error) {
    const denied = e as Error & { code?: string; permission?: string; resource?: string };
    // Node's permission model (strict mode): say what was refused and how to allow it.
    const message =
      denied.code === 'ERR_ACCESS_DENIED'
        ? `${e.message}: ${denied.permission ?? 'access'} ${denied.resource ?? ''} is not allowed by the ` +
          `strict sandbox (declare it in sandbox allowRead / allowWrite)`
        : e.message;
    return { message, ...(e.stack ? { stack: e.stack } : {}) };
  }
  return { message: String(e) };
}
