import type { Body } from '../../core/envelope.js';
import { performance } from 'node:perf_hooks';
import type { Era, JsonRpcId, Principal, RequestContext } from '../../core/context.js';
import type { RpcError } from '../../core/errors.js';
import type { Audit, AuditRecord } from '../../core/security.js';
import { notedCache, notedOutcome } from '../../core/outcome.js';
import { redact } from '../../redact.js';
import { argumentDigest, maskText } from './digest.js';
import type { AuditSink } from './sink.js';

/** The methods that run something on a caller's behalf; lists, completions and pings are not audited. */
const audited: Readonly<Record<string, AuditLine['type']>> = {
  'tools/call': 'tool',
  'resources/read': 'resource',
  'prompts/get': 'prompt'
};

export interface AuditLine {
  readonly time: string;
  readonly requestId: JsonRpcId;
  readonly principal: string;
  readonly era: Era;
  readonly type: 'tool' | 'resource' | 'prompt';
  readonly target: string;
  /** Tools and prompts: see argumentDigest. */
  readonly argsDigest?: string;
  /** ok, isError, invalid (arguments refused), denied, limited, input_required (2026-07-28 round), or error (with `code`). */
  readonly outcome: string;
  readonly code?: number;
  /** The answer came from the result cache (`cache:`): the entry's work did not run. */
  readonly cached?: true;
  readonly latencyMs: number;
  /** Bytes of the serialised response. */
  readonly bytes: number;
}

/** One audited request: begun when it arrives, written once when its answer is known. */
export class AuditEntry implements AuditRecord {
  private ctx: RequestContext | undefined;
  private readonly started = performance.now();
  private readonly time = new Date().toISOString();

  constructor(
    private readonly auditor: Auditor,
    private readonly head: Omit<AuditLine, 'time' | 'principal' | 'outcome' | 'code' | 'latencyMs' | 'bytes'>,
    private readonly channelPrincipal: Principal | undefined
  ) {}

  /** The request's context, once built: its principal, and the outcome a refusal noted on it. */
  context(ctx: RequestContext): void {
    this.ctx = ctx;
  }

  done(value: Record<string, unknown>, body: Body): void {
    const noted = this.ctx && notedOutcome(this.ctx);
    const outcome = value.resultType === 'input_required' ? 'input_required' : value.isError === true ? (noted ?? 'isError') : 'ok';
    this.write(outcome, undefined, body);
  }

  failed(error: RpcError, body: Body): void {
    const status = error.httpStatus;
    // A hidden entry refused as if unknown carries its real reason as a note (core/unknown.ts).
    const denied = status === 401 || status === 403 || (this.ctx !== undefined && notedOutcome(this.ctx) === 'denied');
    const outcome = error.name === 'rateLimited' ? 'limited' : denied ? 'denied' : 'error';
    this.write(outcome, outcome === 'error' ? error.code : undefined, body);
  }

  private write(outcome: string, code: number | undefined, body: Body): void {
    const line: AuditLine = {
      time: this.time,
      requestId: this.head.requestId,
      principal: (this.ctx?.principal ?? this.channelPrincipal)?.name ?? 'anonymous',
      era: this.head.era,
      type: this.head.type,
      target: this.head.target,
      ...(this.head.argsDigest ? { argsDigest: this.head.argsDigest } : {}),
      outcome,
      ...(code !== undefined ? { code } : {}),
      ...(this.ctx && notedCache(this.ctx)?.hit ? { cached: true as const } : {}),
      latencyMs: Math.round((performance.now() - this.started) * 10) / 10,
      bytes: typeof body === 'string' ? Buffer.byteLength(body) : body.length
    };
    // Registered secret values (6C) never reach the log, wherever they appear (a principal name, a URI).
    this.auditor.sink.write(`${redact(JSON.stringify(line))}\n`);
  }
}

/**
 * Writes one JSON line per tool call, resource read and prompt get, whatever became of it: it wraps the
 * whole request (lookup, validation, authorization, limits, execution), so refused calls are logged too.
 */
export class Auditor implements Audit {
  constructor(
    readonly sink: AuditSink,
    /** A tool's input schema, for its `x-sensitive` marks. */
    private readonly inputSchema: (tool: string) => unknown
  ) {}

  /** Undefined for a method that is not audited. */
  begin(
    method: string,
    id: JsonRpcId,
    params: Record<string, unknown>,
    era: Era,
    principal: Principal | undefined
  ): AuditEntry | undefined {
    const type = audited[method];
    if (!type) return undefined;
    const raw = type === 'resource' ? params.uri : params.name;
    const named = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? '');
    // Masked whole (a linear scan), then cut: a credential whose end lies far out still hides its start.
    const target = (type === 'resource' ? maskText(named) : named).slice(0, 512);
    const args = params.arguments;
    const argsDigest =
      type === 'resource'
        ? undefined
        : argumentDigest(args ?? {}, type === 'tool' && typeof raw === 'string' ? this.inputSchema(raw) : undefined);
    return new AuditEntry(this, { requestId: id, era, type, target, ...(argsDigest ? { argsDigest } : {}) }, principal);
  }

  close(): void {
    this.sink.close();
  }
}
