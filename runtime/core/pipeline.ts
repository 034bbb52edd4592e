import type { RequestContext } from './context.js';
import type { RpcError } from './errors.js';

/** One unit of work through the per-call pipeline: validate → authorize → execute → shape. */
export interface Call {
  readonly type: 'tool' | 'resource' | 'prompt';
  /** Tool or prompt name, or resource URI. */
  readonly target: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly request: RequestContext;
  /** Scopes the target requires (from the manifest's `scopes:`); the authorize middleware checks them. */
  readonly scopes?: readonly string[];
  /** The answer to a caller that may not learn the target exists: an unknown name's, suggestion included. */
  readonly unknown?: () => RpcError;
}

/**
 * Middleware wraps execution (authorization, rate limits, audit and the like). It runs after argument
 * validation and may short-circuit by returning without calling `next`, or throw an RpcError.
 */
export type Middleware = <T>(call: Call, next: () => Promise<T>) => Promise<T>;

export function compose(middleware: readonly Middleware[]): <T>(call: Call, run: () => Promise<T>) => Promise<T> {
  if (middleware.length === 0) return (_call, run) => run();
  // One middleware (authorization alone, the usual set-up) needs no chain of steps: no closures per call.
  if (middleware.length === 1) return middleware[0]!;
  return <T>(call: Call, run: () => Promise<T>) => {
    const step = (i: number): Promise<T> => (i === middleware.length ? run() : middleware[i]!(call, () => step(i + 1)));
    return step(0);
  };
}
