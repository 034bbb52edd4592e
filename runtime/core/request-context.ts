import { LEGACY_VERSIONS, LOG_LEVELS, META, MODERN_VERSIONS, type LogLevel } from '../sdk.js';
import type { JsonRpcId, RequestContext } from './context.js';
import type { Envelope } from './envelope.js';
import { RpcError } from './errors.js';
import type { Channel } from './server.js';
import { withLazySignal, type Cancellation } from './cancellation.js';

/** 2025 sessions: the era's state lives in the session the transport keeps. */
export function legacyContext(envelope: Envelope, id: JsonRpcId, method: string, params: Record<string, unknown>, channel: Channel, cancellation: Cancellation | AbortSignal): RequestContext {
  const legacy = channel.legacy!;
  return withLazySignal<RequestContext>({
    era: 'legacy', id, method, params, cancellation, legacy,
    protocolVersion: legacy.protocolVersion,
    clientCapabilities: legacy.clientCapabilities,
    logLevel: legacy.logLevel,
    notify: (m, p) => channel.notify(envelope.notification(m, p)),
    ...(channel.request ? { clientRequest: channel.request.bind(channel) } : {}),
    ...(channel.closeStream ? { closeStream: channel.closeStream.bind(channel) } : {}),
    ...(channel.principal ? { principal: channel.principal } : {}),
    ...(channel.requestHeader ? { requestHeader: channel.requestHeader } : {})
  }, () => cancellation);
}

/** 2026-07-28: everything the request needs travels in its `_meta` (and, on HTTP, in matching headers). */
export function modernContext(envelope: Envelope, id: JsonRpcId, method: string, params: Record<string, unknown>, meta: Record<string, unknown> | undefined, channel: Channel, cancellation: Cancellation | AbortSignal): RequestContext {
  const version = meta?.[META.protocolVersion];
  const capabilities = meta?.[META.clientCapabilities];
  // On HTTP the headers must mirror the body: a mismatch is reported before anything else.
  const headers = channel.headers;
  if (headers) {
    if (typeof version === 'string' && headers.protocolVersion !== version) throw new RpcError('headerMismatch', `MCP-Protocol-Version header ${JSON.stringify(headers.protocolVersion)} does not match _meta version ${version}`);
    if (headers.method !== method) throw new RpcError('headerMismatch', `Mcp-Method header ${JSON.stringify(headers.method)} does not match method ${method}`);
    const name = method === 'resources/read' ? params.uri : method === 'tools/call' || method === 'prompts/get' ? params.name : undefined;
    if (name !== undefined && headers.name !== name) throw new RpcError('headerMismatch', `Mcp-Name header ${JSON.stringify(headers.name)} does not match ${JSON.stringify(name)}`);
  }
  if (typeof version !== 'string') throw new RpcError('invalidParams', `missing _meta["${META.protocolVersion}"]: send it on every request, or call initialize first (2025-era clients)`);
  if (!(MODERN_VERSIONS as readonly string[]).includes(version)) {
    throw new RpcError('unsupportedVersion', `Unsupported protocol version ${version}`, { supported: [...MODERN_VERSIONS, ...LEGACY_VERSIONS], requested: version });
  }
  if (!capabilities || typeof capabilities !== 'object') throw new RpcError('invalidParams', `missing _meta["${META.clientCapabilities}"]`);
  const level = meta?.[META.logLevel];
  if (level !== undefined && !(LOG_LEVELS as readonly unknown[]).includes(level)) throw new RpcError('invalidParams', `invalid log level ${JSON.stringify(level)}`);
  return withLazySignal<RequestContext>({
    era: 'modern', id, method, params, cancellation, legacy: undefined,
    protocolVersion: version,
    clientCapabilities: capabilities as Record<string, unknown>,
    logLevel: level as LogLevel | undefined,
    notify: (m, p) => channel.notify(envelope.notification(m, p)),
    ...(headers ? { header: (n: string) => headers.param(n) } : {}),
    ...(channel.principal ? { principal: channel.principal } : {}),
    ...(channel.requestHeader ? { requestHeader: channel.requestHeader } : {})
  }, () => cancellation);
}
