import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonRpcId } from '../core/context.js';
import type { McpCore } from '../core/server.js';
import type { LogFields, Logger } from '../log.js';
import type { GuardRefusal } from './guard.js';
import { header } from './headers.js';

/** Values that came in the request (a method, a tool name, an id) are cut here: a log line stays a line. */
const MAX_INPUT_CHARS = 200;
const cut = (text: string): string => (text.length > MAX_INPUT_CHARS ? `${text.slice(0, MAX_INPUT_CHARS)}…` : text);

/** What the handlers learn of one HTTP request on its way, written as its access line when the response closes. */
export class AccessRecord {
  mcpMethod: string | undefined = undefined;
  requestId: JsonRpcId | undefined = undefined;
  tool: string | undefined = undefined;
  principal: string | undefined = undefined;
  traceId: string | undefined = undefined;
  /** The session an initialize opened (the client sent none). */
  sessionId: string | undefined = undefined;
  readonly started = performance.now();

  constructor(
    readonly req: IncomingMessage,
    readonly log: Logger,
    readonly endpoint: string
  ) {}
}

// On the response itself: the handlers that learn something (the method, the caller, the trace) all hold it, and a
// property costs less than a WeakMap entry and a closure per request.
const RECORD = Symbol('mcp-gen access record');
type Recorded = ServerResponse & { [RECORD]?: AccessRecord };

/**
 * The access log of one HTTP server: one info line per request (MCP POSTs, GET streams, DELETEs, and every refusal:
 * 401, 403, 404, 413, 429, 503 …), written when its response closes, wherever in the handlers it was answered.
 * Nothing is recorded while info lines are not logged (`--log-level warn`).
 */
export class AccessLog {
  constructor(
    private readonly core: McpCore,
    private readonly endpoint: string
  ) {}

  begin(req: IncomingMessage, res: ServerResponse): void {
    const log = this.core.log;
    if (!log.enabled('info')) return;
    (res as Recorded)[RECORD] = new AccessRecord(req, log, this.endpoint);
    res.once('close', closed);
  }

  /** The record of this response, undefined when access lines are off. */
  of(res: ServerResponse): AccessRecord | undefined {
    return (res as Recorded)[RECORD];
  }
}

/** The 'close' listener of every recorded response (one function for all: `this` is the response). */
function closed(this: ServerResponse): void {
  const record = (this as Recorded)[RECORD];
  if (record) record.log.info(this.writableFinished ? 'request completed' : 'request aborted', fields(this, record));
}

function fields(res: ServerResponse, record: AccessRecord): LogFields {
  const { req } = record;
  const fields: Record<string, unknown> = { http_method: req.method };
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path !== record.endpoint) fields.path = cut(path);
  if (record.mcpMethod !== undefined) fields.mcp_method = cut(record.mcpMethod);
  if (record.tool !== undefined) fields.tool = cut(record.tool);
  fields.status = res.statusCode;
  fields.duration_ms = Math.round((performance.now() - record.started) * 100) / 100;
  if (record.principal !== undefined) fields.principal = record.principal;
  if (record.requestId !== undefined) fields.request_id = typeof record.requestId === 'string' ? cut(record.requestId) : record.requestId;
  // The client's session, or the one this initialize opened.
  const session = header(req, 'mcp-session-id') ?? record.sessionId;
  if (session !== undefined) fields.session_id = cut(session);
  if (record.traceId !== undefined) fields.trace_id = record.traceId;
  return fields;
}

/** Distinct refused Host or Origin values warned about per server: a flood of made-up ones must not flood the log. */
export const MAX_WARNED_VALUES = 20;

/**
 * Warnings for requests the Host/Origin guard refused (answered 403, silently for the client's sake): the operator
 * may have to add the value to `transport.allowedHosts` or `transport.allowedOrigins`. Once per distinct value, at
 * most MAX_WARNED_VALUES per server, then one line saying further ones are not reported.
 */
export class RefusalWarnings {
  private readonly warned = new Set<string>();

  constructor(private readonly log: () => Logger) {}

  /** `allow`: what to add to the setting (the host name without its port; the origin as sent). */
  refused(refusal: GuardRefusal, allow: string | undefined): void {
    const { setting, value } = refusal;
    const key = `${setting} ${value}`;
    if (this.warned.has(key) || this.warned.size > MAX_WARNED_VALUES) return;
    this.warned.add(key);
    if (this.warned.size > MAX_WARNED_VALUES) {
      this.log().warn(`more requests refused (403) for their Host or Origin: not logged any more (the first ${MAX_WARNED_VALUES} were)`);
      return;
    }
    const host = setting === 'transport.allowedHosts';
    const seen = JSON.stringify(cut(value));
    const what = host ? (value === '' ? 'it has no Host header' : `its Host ${seen}`) : `its Origin ${seen}`;
    const who = host ? 'clients reach this server by that name' : 'web pages from that origin may call this server';
    const advice = allow ? `; if ${who}, add ${JSON.stringify(cut(allow))} to ${setting} in the manifest` : '';
    this.log().warn(
      `refused a request (403): ${what} is not allowed by ${setting}${advice} (further requests with it are refused without a warning)`,
      { setting, [host ? 'host' : 'origin']: cut(value) }
    );
  }
}
