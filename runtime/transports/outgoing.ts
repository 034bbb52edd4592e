import { RpcError } from '../core/errors.js';

/** Server-to-client requests of one 2025 session (or stdio process), matched to the client's responses by id. */
export class OutgoingRequests {
  private next = 0;
  private readonly pending = new Map<string, { resolve(v: unknown): void; reject(e: unknown): void }>();

  /** `prefix` of request ids: with a shared state store it names the instance, so a response can find its way back. */
  constructor(private readonly prefix = 'mcpgen-') {}

  send(write: (message: string) => void, method: string, params: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    const id = `${this.prefix}${++this.next}`;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new RpcError('internalError', 'request cancelled'));
      const onAbort = () => {
        this.pending.delete(id);
        write(
          JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'the call was cancelled' } })
        );
        reject(new RpcError('internalError', 'request cancelled'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
        reject: (e) => (signal.removeEventListener('abort', onAbort), reject(e))
      });
      write(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /** Settles the request a client response answers; false if it answers nothing we asked. */
  settle(message: { id: unknown; result?: unknown; error?: { code?: number; message?: string } }): boolean {
    const entry = typeof message.id === 'string' ? this.pending.get(message.id) : undefined;
    if (!entry) return false;
    this.pending.delete(message.id as string);
    if (message.error)
      entry.reject(new Error(`client answered with error ${message.error.code ?? ''}: ${message.error.message ?? ''}`.trim()));
    else entry.resolve(message.result);
    return true;
  }

  rejectAll(reason: string): void {
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
  }
}
