import { LEGACY_VERSIONS, LOG_LEVELS, META, MODERN_VERSIONS, type LogLevel } from '../sdk.js';
import type { Channel, Era, JsonRpcId, LegacyState, Principal, RequestContext } from './context.js';
import type { Envelope } from './envelope.js';
import { RpcError } from './errors.js';
import { signalOf, type Cancellation } from './cancellation.js';
import type { TraceParent } from './telemetry.js';

/**
 * One request's context. A class, not an object literal with closures: it is made for every request, and a
 * fixed shape with methods on the prototype keeps that to one small allocation (the signal is made on first read).
 */
class Context implements RequestContext {
  declare readonly header?: (name: string) => string | null | undefined;
  declare readonly clientRequest?: (method: string, params: Record<string, unknown>, signal: AbortSignal) => Promise<unknown>;
  declare readonly closeStream?: () => void;
  declare readonly principal?: Principal;
  declare readonly requestHeader?: (name: string) => string | undefined;
  declare readonly trace?: TraceParent;
  declare readonly toolset?: string;

  constructor(
    private readonly envelope: Envelope,
    private readonly channel: Channel,
    readonly era: Era,
    readonly id: JsonRpcId,
    readonly method: string,
    readonly params: Record<string, unknown>,
    readonly cancellation: Cancellation | AbortSignal,
    readonly legacy: LegacyState | undefined,
    readonly protocolVersion: string,
    readonly clientCapabilities: Record<string, unknown>,
    readonly logLevel: LogLevel | undefined,
    trace: TraceParent | undefined
  ) {
    // Optional members stay absent (not undefined-valued) when the channel has none: callers test for them.
    if (trace) this.trace = trace;
    if (channel.principal) this.principal = channel.principal;
    if (channel.requestHeader) this.requestHeader = channel.requestHeader;
    if (channel.toolset !== undefined) this.toolset = channel.toolset;
    if (era === 'modern') {
      const headers = channel.headers;
      if (headers) this.header = (n: string) => headers.param(n);
    } else {
      if (channel.request) this.clientRequest = channel.request.bind(channel);
      if (channel.closeStream) this.closeStream = channel.closeStream.bind(channel);
    }
  }

  get signal(): AbortSignal {
    return signalOf(this.cancellation);
  }

  notify(method: string, params: Record<string, unknown>): void {
    this.channel.notify(this.envelope.notification(method, params));
  }
}

/** 2025 sessions: the era's state lives in the session the transport keeps. */
export function legacyContext(
  envelope: Envelope,
  id: JsonRpcId,
  method: string,
  params: Record<string, unknown>,
  channel: Channel,
  cancellation: Cancellation | AbortSignal,
  trace: TraceParent | undefined
): RequestContext {
  const legacy = channel.legacy!;
  return new Context(
    envelope,
    channel,
    'legacy',
    id,
    method,
    params,
    cancellation,
    legacy,
    legacy.protocolVersion,
    legacy.clientCapabilities,
    legacy.logLevel,
    trace
  );
}

/** 2026-07-28: everything the request needs travels in its `_meta` (and, on HTTP, in matching headers). */
export function modernContext(
  envelope: Envelope,
  id: JsonRpcId,
  method: string,
  params: Record<string, unknown>,
  meta: Record<string, unknown> | undefined,
  channel: Channel,
  cancellation: Cancellation | AbortSignal,
  trace: TraceParent | undefined
): RequestContext {
  const version = meta?.[META.protocolVersion];
  const capabilities = meta?.[META.clientCapabilities];
  // On HTTP the headers must mirror the body: a mismatch is reported before anything else.
  const headers = channel.headers;
  if (headers) {
    if (typeof version === 'string' && headers.protocolVersion !== version)
      throw new RpcError(
        'headerMismatch',
        `MCP-Protocol-Version header ${JSON.stringify(headers.protocolVersion)} does not match _meta version ${version}`
      );
    if (headers.method !== method)
      throw new RpcError('headerMismatch', `Mcp-Method header ${JSON.stringify(headers.method)} does not match method ${method}`);
    const name = method === 'resources/read' ? params.uri : method === 'tools/call' || method === 'prompts/get' ? params.name : undefined;
    if (name !== undefined && headers.name !== name)
      throw new RpcError('headerMismatch', `Mcp-Name header ${JSON.stringify(headers.name)} does not match ${JSON.stringify(name)}`);
  }
  if (typeof version !== 'string')
    throw new RpcError(
      'invalidParams',
      `missing _meta["${META.protocolVersion}"]: send it on every request, or call initialize first (2025-era clients)`
    );
  if (!(MODERN_VERSIONS as readonly string[]).includes(version)) {
    throw new RpcError('unsupportedVersion', `Unsupported protocol version ${version}`, {
      supported: [...MODERN_VERSIONS, ...LEGACY_VERSIONS],
      requested: version
    });
  }
  if (!capabilities || typeof capabilities !== 'object') throw new RpcError('invalidParams', `missing _meta["${META.clientCapabilities}"]`);
  const level = meta?.[META.logLevel];
  if (level !== undefined && !(LOG_LEVELS as readonly unknown[]).includes(level))
    throw new RpcError('invalidParams', `invalid log level ${JSON.stringify(level)}`);
  return new Context(
    envelope,
    channel,
    'modern',
    id,
    method,
    params,
    cancellation,
    undefined,
    version,
    capabilities as Record<string, unknown>,
    level as LogLevel | undefined,
    trace
  );
}
