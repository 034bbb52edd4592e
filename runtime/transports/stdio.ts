import type { Readable, Writable } from 'node:stream';
import type { McpCore } from '../core/server.js';
import type { TransportLimits } from '../artifact/ir.js';
import { lineTooLongError, transportLimits } from './limits.js';
import { LineSplitter } from './lines.js';
import { SHUTDOWN_GRACE_MS } from './drain.js';
import { openConversation } from './conversation.js';

export interface StdioServer {
  /** Resolves when input has ended (or `close` was called) and every in-flight request has been answered. */
  readonly closed: Promise<void>;
  /**
   * Refuses new requests (answers, cancellations and notifications are still read), lets in-flight ones finish
   * (up to `graceMs`, default 10 s), answers those still running with a shuttingDown error, then stops reading.
   */
  close(graceMs?: number): void;
}

/** Newline-delimited JSON-RPC over a pair of streams; both eras (`initialize` makes the process a 2025 session). */
export function serveStdio(
  core: McpCore,
  input: Readable = process.stdin,
  output: Writable = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
  configuredLimits?: Partial<TransportLimits>,
  /** Serve only this toolset's tools (`mcp-gen run --toolset`); undefined: every tool. */
  toolset?: string
): StdioServer {
  const limits = transportLimits(configuredLimits);
  const conversation = openConversation(core, {
    transport: 'stdio',
    limits,
    // Local and trusted (no principal) unless auth.stdio requires an API key from the environment.
    principal: core.auth?.stdioPrincipal(env),
    send: (data) => void output.write(data),
    framed: false,
    ...(toolset !== undefined ? { toolset } : {})
  });
  const lines = new LineSplitter(limits.maxLineBytes, {
    line: (line) => conversation.receive(line),
    tooLong: () => conversation.refuse(lineTooLongError(limits.maxLineBytes))
  });
  const onData = (chunk: Buffer | string) => lines.push(chunk);
  input.on('data', onData);
  let stopping = false;
  let end!: () => void;
  const closed = new Promise<void>((resolve) => {
    end = resolve;
    const finish = async () => {
      lines.end();
      await conversation.finish();
      resolve();
    };
    input.once('end', () => void finish());
    input.once('close', () => void finish());
  });
  void closed.then(() => {
    input.off('data', onData);
    input.destroy();
  });
  return {
    closed,
    close(graceMs = SHUTDOWN_GRACE_MS) {
      if (stopping) return;
      stopping = true;
      void conversation.close(graceMs).then(() => end());
    }
  };
}
