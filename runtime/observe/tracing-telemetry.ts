import {
  type Attributes,
  type Context,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace
} from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { isRpcError } from '../core/errors.js';
import type { KindSpan, KindTelemetry, RequestObservation, SpanAttributes, Telemetry, TraceParent } from '../core/telemetry.js';
import { redact } from '../redact.js';
import { parentOf, propagator, requestAttributes, spanName } from './tracing-request.js';

/**
 * The tracing half of a Telemetry, on the OpenTelemetry API only: one SERVER span per request, whose context the
 * core hands to the kinds (RequestObservation.parent, then ToolContext.trace), so their CLIENT/INTERNAL spans are
 * its children. No context manager: nothing global is registered, and no AsyncLocalStorage taxes every promise.
 * Metrics are another part's (combine.ts).
 */
export function tracingTelemetry(tracer: Tracer): Telemetry {
  return {
    begin(request): RequestObservation {
      const { parent, links } = parentOf(request);
      const span = tracer.startSpan(spanName(request), { kind: SpanKind.SERVER, attributes: requestAttributes(request), links }, parent);
      return {
        traceId: span.spanContext().traceId,
        parent: asParent(trace.setSpan(parent, span)),
        end(outcome) {
          if (outcome.protocolVersion !== undefined) span.setAttribute('mcp.protocol.version', outcome.protocolVersion);
          if (outcome.error) {
            // The conventions' error.type for a JSON-RPC error is its code; mcp-gen's name of it says more.
            const code = String(outcome.error.code);
            span.setAttributes({ [ATTR_ERROR_TYPE]: code, 'rpc.response.status_code': code, 'mcpgen.error.name': outcome.error.name });
            span.setStatus({ code: SpanStatusCode.ERROR, message: redact(outcome.error.message) });
          } else if (outcome.toolError) {
            span.setAttribute(ATTR_ERROR_TYPE, 'tool_error');
            span.setStatus({ code: SpanStatusCode.ERROR, message: 'the tool returned isError: true' });
          }
          span.end();
        }
      };
    },
    kinds: kindTracing(tracer)
  };
}

// A TraceParent is an OpenTelemetry Context; only this module makes and reads them.
const asParent = (context: Context) => context as unknown as TraceParent;
const asContext = (parent: TraceParent | undefined) => (parent as unknown as Context | undefined) ?? ROOT_CONTEXT;

const noMetric = () => () => {};

function kindTracing(tracer: Tracer): KindTelemetry {
  return {
    histogram: noMetric,
    counter: noMetric,
    gauge: noMetric,
    async span(parent, name, attributes, work, kind = 'client') {
      const context = asContext(parent);
      const span = tracer.startSpan(
        name,
        { kind: kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL, attributes: defined(attributes) },
        context
      );
      const handle = kindSpan(span, trace.setSpan(context, span));
      try {
        return await work(handle);
      } catch (e) {
        if (!handle.failed) handle.fail(errorType(e), (e as Error)?.message);
        throw e;
      } finally {
        span.end();
      }
    }
  };
}

function kindSpan(span: Span, context: Context): KindSpan & { failed: boolean } {
  const handle = {
    failed: false,
    context: asParent(context),
    inject: (headers: Record<string, string>) => propagator.inject(context, headers, defaultTextMapSetter),
    setAttributes: (attributes: SpanAttributes) => void span.setAttributes(defined(attributes)),
    fail(type: string, message?: string) {
      handle.failed = true;
      span.setAttribute(ATTR_ERROR_TYPE, type);
      span.setStatus({ code: SpanStatusCode.ERROR, ...(message !== undefined ? { message: redact(message) } : {}) });
    }
  };
  return handle;
}

/** A low-cardinality class of a thrown value: an RpcError's name, a system error's code, else the error's name. */
function errorType(e: unknown): string {
  if (isRpcError(e)) return e.name;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.length <= 64) return code;
  const name = (e as Error | null)?.name;
  return typeof name === 'string' && name.length <= 64 ? name : '_OTHER';
}

function defined(attributes: SpanAttributes): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) out[k] = v;
  return out;
}
