import { methodLabel } from './mcp-methods.js';
import { type Attributes, type Context, type Link, ROOT_CONTEXT, type TextMapGetter, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ATTR_NETWORK_PROTOCOL_NAME, ATTR_NETWORK_TRANSPORT } from '@opentelemetry/semantic-conventions';
import type { ObservedRequest } from '../core/telemetry.js';

/**
 * What the MCP semantic conventions (gen-ai/mcp.md, server span) ask of one request (their mcp.* and gen_ai.*
 * names are written out: the package's incubating module that has them is large and not yet stable): its span name, its
 * attributes, and its parent (W3C trace context from `params._meta`, else from the HTTP request's headers).
 */

export const propagator = new W3CTraceContextPropagator();

/** Resource requests whose `uri` the conventions record (conditionally required). */
const uriMethods = new Set(['resources/read', 'resources/subscribe', 'resources/unsubscribe']);

export const methodName = methodLabel;

/** `{mcp.method.name} {target}`, or the method alone when the artifact declares no such tool or prompt. */
export function spanName(request: ObservedRequest): string {
  const method = methodName(request.method);
  return request.target !== undefined ? `${method} ${request.target}` : method;
}

/**
 * Values from the request are cut: a span is held (in the batch queue, up to 2048 of them) until the collector takes
 * it, so a request id or URI of megabytes must not be kept whole.
 */
const MAX_ID_CHARS = 128;
const MAX_URI_CHARS = 1024;
const cut = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

export function requestAttributes(request: ObservedRequest): Attributes {
  const method = methodName(request.method);
  const attributes: Attributes = {
    'mcp.method.name': method,
    'jsonrpc.request.id': cut(String(request.id), MAX_ID_CHARS),
    [ATTR_NETWORK_TRANSPORT]: request.channel.transport === 'stdio' || request.channel.transport === undefined ? 'pipe' : 'tcp'
  };
  if (request.channel.transport === 'http' || request.channel.transport === 'websocket')
    attributes[ATTR_NETWORK_PROTOCOL_NAME] = request.channel.transport;
  if (request.channel.sessionId !== undefined) attributes['mcp.session.id'] = request.channel.sessionId;
  if (method === 'tools/call') {
    attributes['gen_ai.operation.name'] = 'execute_tool';
    if (request.target !== undefined) attributes['gen_ai.tool.name'] = request.target;
  } else if (method === 'prompts/get' && request.target !== undefined) attributes['gen_ai.prompt.name'] = request.target;
  else if (uriMethods.has(method) && typeof request.params.uri === 'string')
    attributes['mcp.resource.uri'] = cut(request.params.uri, MAX_URI_CHARS);
  return attributes;
}

/**
 * W3C caps tracestate at 512 characters; the propagator keeps a longer one whole on the span's context (it is cut
 * only when sent on), so one is ignored here rather than held with the span.
 */
const MAX_TRACESTATE_CHARS = 512;
const bounded = (key: string, value: unknown): string | undefined =>
  typeof value === 'string' && (key !== 'tracestate' || value.length <= MAX_TRACESTATE_CHARS) ? value : undefined;

const metaGetter: TextMapGetter<Readonly<Record<string, unknown>>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => bounded(key, Object.hasOwn(carrier, key) ? carrier[key] : undefined)
};

const headerGetter: TextMapGetter<(name: string) => string | undefined> = {
  keys: () => ['traceparent', 'tracestate'],
  get: (header, key) => bounded(key, header(key))
};

/**
 * The request's parent: `params._meta`'s trace context first (the conventions' choice: one HTTP request may carry
 * several MCP messages), else the HTTP headers'; when both are present, the headers' becomes a link.
 */
export function parentOf(request: ObservedRequest): { parent: Context; links: Link[] } {
  const meta = request.params._meta;
  const fromMeta =
    meta !== null && typeof meta === 'object' && 'traceparent' in meta ? extracted(meta as Record<string, unknown>, metaGetter) : undefined;
  const header = request.channel.requestHeader;
  const fromHeaders = header?.('traceparent') !== undefined ? extracted(header, headerGetter) : undefined;
  // The common case (no context anywhere) allocates nothing more.
  if (fromMeta === undefined) return { parent: fromHeaders ?? ROOT_CONTEXT, links: [] };
  const linked = fromHeaders && trace.getSpanContext(fromHeaders);
  const parentId = trace.getSpanContext(fromMeta)?.spanId;
  return { parent: fromMeta, links: linked !== undefined && linked.spanId !== parentId ? [{ context: linked }] : [] };
}

/** The context a valid traceparent gives, else undefined (a malformed one is ignored, as the W3C spec says). */
function extracted<C>(carrier: C, getter: TextMapGetter<C>): Context | undefined {
  const context = propagator.extract(ROOT_CONTEXT, carrier, getter);
  return trace.getSpanContext(context) !== undefined ? context : undefined;
}
