/**
 * The tracing Telemetry on an in-memory exporter: the SERVER span of each request (name and attributes as the MCP
 * semantic conventions say, parent from `params._meta` then the HTTP headers, errors), and the kinds' child spans
 * and the trace context they send on. The real SDK set-up and the OTLP export are covered by test/e2e/tracing.test.ts.
 */
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../runtime/core/context.js';
import { RpcError } from '../../runtime/core/errors.js';
import type { ObservedRequest } from '../../runtime/core/telemetry.js';
import { tracingTelemetry } from '../../runtime/observe/tracing-telemetry.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const telemetry = tracingTelemetry(provider.getTracer('test'));

afterAll(async () => {
  await provider.shutdown();
});
beforeEach(() => exporter.reset());

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const HEADER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const HEADER_PARENT = 'b7ad6b7169203331';
const metaParent = { traceparent: `00-${TRACE}-${PARENT}-01`, tracestate: 'rojo=00f067aa0ba902b7' };

const stdio: Channel = { transport: 'stdio', notify: () => {} };
const http = (headers: Record<string, string> = {}, sessionId?: string): Channel => ({
  transport: 'http',
  ...(sessionId ? { sessionId } : {}),
  notify: () => {},
  requestHeader: (name) => headers[name]
});

function request(method: string, params: Record<string, unknown>, channel: Channel, target?: string): ObservedRequest {
  return { id: 7, method, params, era: 'legacy', channel, target };
}

/** Runs one request through begin/end as McpCore.request does, and returns its exported span. */
async function serve(r: ObservedRequest, outcome: Parameters<ReturnType<typeof telemetry.begin>['end']>[0] = {}): Promise<ReadableSpan> {
  const observation = telemetry.begin(r);
  observation.end(outcome);
  const span = exporter.getFinishedSpans().at(-1)!;
  expect(observation.traceId).toBe(span.spanContext().traceId);
  return span;
}

describe('the SERVER span of a request', () => {
  const cases: { name: string; given: ObservedRequest; outcome?: object; want: { name: string; attributes: Record<string, unknown> } }[] = [
    {
      name: 'a declared tool over stdio',
      given: request('tools/call', { name: 'greet' }, stdio, 'greet'),
      outcome: { protocolVersion: '2025-11-25' },
      want: {
        name: 'tools/call greet',
        attributes: {
          'mcp.method.name': 'tools/call',
          'gen_ai.tool.name': 'greet',
          'gen_ai.operation.name': 'execute_tool',
          'jsonrpc.request.id': '7',
          'network.transport': 'pipe',
          'mcp.protocol.version': '2025-11-25'
        }
      }
    },
    {
      name: 'an undeclared tool: no name from the request',
      given: request('tools/call', { name: 'nope' }, stdio),
      outcome: { error: new RpcError('invalidParams', 'Unknown tool: nope') },
      want: {
        name: 'tools/call',
        attributes: {
          'mcp.method.name': 'tools/call',
          'gen_ai.operation.name': 'execute_tool',
          'jsonrpc.request.id': '7',
          'network.transport': 'pipe',
          'error.type': '-32602',
          'rpc.response.status_code': '-32602',
          'mcpgen.error.name': 'invalidParams'
        }
      }
    },
    {
      name: 'a prompt over an HTTP session',
      given: request('prompts/get', { name: 'review' }, http({}, 'sess-1'), 'review'),
      want: {
        name: 'prompts/get review',
        attributes: {
          'mcp.method.name': 'prompts/get',
          'gen_ai.prompt.name': 'review',
          'jsonrpc.request.id': '7',
          'network.transport': 'tcp',
          'network.protocol.name': 'http',
          'mcp.session.id': 'sess-1'
        }
      }
    },
    {
      name: 'a resource read',
      given: request('resources/read', { uri: 'docs://readme' }, stdio),
      want: {
        name: 'resources/read',
        attributes: {
          'mcp.method.name': 'resources/read',
          'mcp.resource.uri': 'docs://readme',
          'jsonrpc.request.id': '7',
          'network.transport': 'pipe'
        }
      }
    },
    {
      name: 'an unknown method: one fixed name',
      given: request('x/evil-unbounded-123', {}, stdio),
      outcome: { error: new RpcError('methodNotFound', 'Method not found') },
      want: {
        name: '_OTHER',
        attributes: {
          'mcp.method.name': '_OTHER',
          'jsonrpc.request.id': '7',
          'network.transport': 'pipe',
          'error.type': '-32601',
          'rpc.response.status_code': '-32601',
          'mcpgen.error.name': 'methodNotFound'
        }
      }
    },
    {
      name: 'a tool answering isError',
      given: request('tools/call', { name: 'greet' }, stdio, 'greet'),
      outcome: { toolError: true },
      want: {
        name: 'tools/call greet',
        attributes: {
          'mcp.method.name': 'tools/call',
          'gen_ai.tool.name': 'greet',
          'gen_ai.operation.name': 'execute_tool',
          'jsonrpc.request.id': '7',
          'network.transport': 'pipe',
          'error.type': 'tool_error'
        }
      }
    }
  ];
  it.each(cases)('$name', async ({ given, outcome, want }) => {
    const span = await serve(given, outcome);
    expect(span.name).toBe(want.name);
    expect(span.kind).toBe(1); // SERVER
    expect(span.attributes).toEqual(want.attributes);
    expect(span.status.code).toBe('error.type' in want.attributes ? 2 : 0);
  });
});

describe('the parent of a request span', () => {
  it('is the trace context of params._meta, the HTTP header one a link', async () => {
    const span = await serve(request('ping', { _meta: metaParent }, http({ traceparent: `00-${HEADER_TRACE}-${HEADER_PARENT}-01` })));
    expect(span.spanContext().traceId).toBe(TRACE);
    expect(span.parentSpanContext?.spanId).toBe(PARENT);
    expect(span.parentSpanContext?.traceState?.get('rojo')).toBe('00f067aa0ba902b7');
    expect(span.links.map((l) => l.context.spanId)).toEqual([HEADER_PARENT]);
  });

  it('is the HTTP traceparent header without one in _meta', async () => {
    const span = await serve(request('ping', { _meta: {} }, http({ traceparent: `00-${HEADER_TRACE}-${HEADER_PARENT}-01` })));
    expect(span.spanContext().traceId).toBe(HEADER_TRACE);
    expect(span.parentSpanContext?.spanId).toBe(HEADER_PARENT);
    expect(span.links).toEqual([]);
  });

  it.each([
    { name: 'none given', params: {} },
    { name: 'a malformed traceparent', params: { _meta: { traceparent: '00-zz-yy-01' } } },
    { name: 'a traceparent that is not a string', params: { _meta: { traceparent: 42 } } }
  ])('is none with $name: a new trace', async ({ params }) => {
    const span = await serve(request('ping', params, stdio));
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('the kinds’ spans', () => {
  it('are children of the request span, and send on their own context', async () => {
    const headers: Record<string, string> = {};
    const observation = telemetry.begin(request('tools/call', { name: 'q', _meta: metaParent }, stdio, 'q'));
    await telemetry.kinds.span(observation.parent, 'GET /pets', { 'http.request.method': 'GET', absent: undefined }, async (span) => {
      span.inject(headers);
      span.setAttributes({ 'http.response.status_code': 200 });
    });
    observation.end({});
    const [child, server] = exporter.getFinishedSpans();
    expect(server!.name).toBe('tools/call q');
    expect(child!.name).toBe('GET /pets');
    expect(child!.kind).toBe(2); // CLIENT
    expect(child!.parentSpanContext?.spanId).toBe(server!.spanContext().spanId);
    expect(child!.spanContext().traceId).toBe(TRACE);
    expect(child!.attributes).toEqual({ 'http.request.method': 'GET', 'http.response.status_code': 200 });
    expect(headers.traceparent).toBe(`00-${TRACE}-${child!.spanContext().spanId}-01`);
    expect(headers.tracestate).toBe('rojo=00f067aa0ba902b7');
  });

  it.each([
    {
      name: 'a rejection',
      work: () => Promise.reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })),
      want: 'ECONNREFUSED'
    },
    { name: 'an RpcError', work: () => Promise.reject(new RpcError('requestTimeout', 'too slow')), want: 'requestTimeout' },
    { name: 'fail()', work: async (span: { fail(t: string): void }) => span.fail('sql_refused'), want: 'sql_refused' }
  ])('record $name as error.type with status ERROR', async ({ work, want }) => {
    await telemetry.kinds.span(undefined, 'work', {}, work, 'internal').catch(() => {});
    const span = exporter.getFinishedSpans().at(-1)!;
    expect(span.kind).toBe(0); // INTERNAL
    expect(span.attributes['error.type']).toBe(want);
    expect(span.status.code).toBe(2);
  });

  it('nest under the span whose context they are given', async () => {
    const observation = telemetry.begin(request('tools/call', { name: 'q' }, stdio, 'q'));
    await telemetry.kinds.span(observation.parent, 'sandbox q', {}, (outer) =>
      telemetry.kinds.span(outer.context, 'GET /pets', {}, async () => {})
    );
    observation.end({});
    const [inner, outer, server] = exporter.getFinishedSpans();
    expect(outer!.parentSpanContext?.spanId).toBe(server!.spanContext().spanId);
    expect(inner!.parentSpanContext?.spanId).toBe(outer!.spanContext().spanId);
  });

  it('without a parent start a trace of their own (no ambient context is consulted)', async () => {
    const observation = telemetry.begin(request('tools/call', { name: 'q' }, stdio, 'q'));
    await telemetry.kinds.span(undefined, 'GET /pets', {}, async () => {});
    observation.end({});
    const [child, server] = exporter.getFinishedSpans();
    expect(child!.parentSpanContext).toBeUndefined();
    expect(child!.spanContext().traceId).not.toBe(server!.spanContext().traceId);
  });
});
