import {
  type Attributes,
  type ContextManager,
  defaultTextMapSetter,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace
} from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { isRpcError } from '../core/errors.js';
import type { KindSpan, KindTelemetry, RequestObservation, SpanAttributes, Telemetry } from '../core/telemetry.js';
import { redact } from '../redact.js';
import { parentOf, propagator, requestAttributes, spanName } from './tracing-request.js';

/**
 * The tracing half of a Telemetry, on the OpenTelemetry API only: one SERVER span per request, run as the
 * active span (in `contexts`, an AsyncLocalStorage context manager of this server's own: nothing global is
 * registered), so the kinds' CLIENT/INTERNAL spans are its children. Metrics are another part's (combine.ts).
 */
export function tracingTelemetry(tracer: Tracer, contexts: ContextManager): Telemetry {
  return {
    begin(request): RequestObservation {
      const { parent, links } = parentOf(request, contexts.active());
      const span = tracer.startSpan(spanName(request), { kind: SpanKind.SERVER, attributes: requestAttributes(request), links }, parent);
      const active = trace.setSpan(parent, span);
      return {
        traceId: span.spanContext().traceId,
        run: (work) => contexts.with(active, work),
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
    kinds: kindTracing(tracer, contexts)
  };
}

const noMetric = () => () => {};

function kindTracing(tracer: Tracer, contexts: ContextManager): KindTelemetry {
  return {
    histogram: noMetric,
    counter: noMetric,
    gauge: noMetric,
    async span(name, attributes, work, kind = 'client') {
      const parent = contexts.active();
      const span = tracer.startSpan(
        name,
        { kind: kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL, attributes: defined(attributes) },
        parent
      );
      const handle = kindSpan(span);
      try {
        return await contexts.with(trace.setSpan(parent, span), () => work(handle));
      } catch (e) {
        if (!handle.failed) handle.fail(errorType(e), (e as Error)?.message);
        throw e;
      } finally {
        span.end();
      }
    },
    inject(headers) {
      propagator.inject(contexts.active(), headers, defaultTextMapSetter);
    }
  };
}

function kindSpan(span: Span): KindSpan & { failed: boolean } {
  const handle = {
    failed: false,
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
