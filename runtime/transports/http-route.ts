import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../core/context.js';
import { RpcError } from '../core/errors.js';
import type { Authentication as Authenticator } from '../core/security.js';
import { shuttingDownError } from './drain.js';
import type { GuardRefusal } from './guard.js';
import { header } from './headers.js';
import { fail, internalError, methodNotAllowed, type HttpContext } from './http-context.js';
import { serveResourceMetadata } from './http-request.js';
import { deleteSession, openStream } from './http-stream.js';
import { servePost } from './http-post.js';
import { LEGACY_SSE_PATHS } from './legacy-sse.js';
import { toolsetPath } from '../artifact/toolsets.js';
import { requestToolset } from './http-request.js';

const WELL_KNOWN_RESOURCE = '/.well-known/oauth-protected-resource';

/** The request listener of one server: never throws (see internalError). */
export function listener(http: HttpContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    try {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q === -1 ? url : url.slice(0, q);
      // Probes and scrapers send no credentials and often a bare IP as Host: these endpoints come before both
      // checks, and get no access line (a probe every few seconds would drown the requests that matter).
      if (http.ops?.handle(req, res, path)) return;
      http.access.begin(req, res);
      route(http, req, res, path);
    } catch (e) {
      internalError(http, res, e);
    }
  };
}

/**
 * After the operational endpoints (/healthz, /readyz, /metrics: see `listener`): Host well-formed, then the path
 * (the MCP endpoint or RFC 9728 metadata), then Host/Origin allowed, then the caller.
 */
function route(http: HttpContext, req: IncomingMessage, res: ServerResponse, path: string): void {
  const host = header(req, 'host');
  if (host !== undefined && http.guard.hostname(host) === undefined) {
    return fail(
      http,
      res,
      400,
      new RpcError('invalidRequest', `Bad Request: malformed Host header ${JSON.stringify(host.slice(0, 100))}`),
      { connection: 'close' }
    );
  }
  const endpoint = http.options.path;
  const auth = http.core.auth;
  // A toolset's endpoint: the MCP endpoint's path, a slash and the toolset's name (`toolsets:`).
  const toolset = path.startsWith(toolsetPath(endpoint, '')) ? path.slice(toolsetPath(endpoint, '').length) : undefined;
  const served = toolset !== undefined && http.core.hasToolset(toolset) ? toolset : undefined;
  if (auth && path !== endpoint && !served && isMetadataPath(http, auth, endpoint, path))
    return protectedResourceMetadata(http, req, res, auth);
  // The deprecated HTTP+SSE transport's routes (/sse, /messages), when it is on: behind the same checks.
  const legacy = http.legacySse && (path === LEGACY_SSE_PATHS.stream || path === LEGACY_SSE_PATHS.messages) ? http.legacySse : undefined;
  if (path !== endpoint && !legacy && !served)
    return fail(http, res, 404, new RpcError('invalidRequest', `Not found: the MCP endpoint is ${endpoint}`));
  if (served) requestToolset.set(req, served);
  const refused = http.guard.check(host, header(req, 'origin'));
  if (refused) return forbidden(http, res, refused);
  const serve = (principal: Principal | undefined) =>
    legacy ? void legacy.handle(req, res, path, principal) : byMethod(http, req, res, principal);
  if (!auth) return serve(undefined);
  auth
    .authenticate(header(req, 'authorization'))
    .then((outcome) => {
      if ('principal' in outcome) return serve(outcome.principal);
      req.resume();
      http.telemetry.authRejected(header(req, 'authorization') === undefined ? 'missing_credentials' : 'invalid_credentials');
      const challenge = auth.challenge(
        auth.resource(host, endpoint),
        outcome.reason ? { error: 'invalid_token', description: outcome.reason } : {}
      );
      const error = new RpcError('unauthorized', `Unauthorized: ${outcome.reason ?? 'send Authorization: Bearer <token>'}`);
      fail(http, res, 401, error, { 'www-authenticate': challenge });
    })
    .catch((e: unknown) => internalError(http, res, e));
}

/** RFC 9728 metadata paths of the endpoint and of each toolset's (they share the endpoint's resource and scopes). */
function isMetadataPath(http: HttpContext, auth: Authenticator, endpoint: string, path: string): boolean {
  if (auth.metadataPaths(endpoint).has(path)) return true;
  const prefix = `${WELL_KNOWN_RESOURCE}${toolsetPath(endpoint, '')}`;
  return path.startsWith(prefix) && http.core.hasToolset(path.slice(prefix.length));
}

/** RFC 9728: where clients learn which authorization server and scopes this resource uses (no credentials needed). */
function protectedResourceMetadata(http: HttpContext, req: IncomingMessage, res: ServerResponse, auth: Authenticator): void {
  const refused = http.guard.check(header(req, 'host'), undefined);
  if (refused) return forbidden(http, res, refused);
  if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(http, res, 'GET');
  serveResourceMetadata(req, res, auth, http.options.path, http.core.serverName);
}

/** The client is told why; the operator is warned (once per value) which setting would let it in. */
export function forbidden(http: HttpContext, res: ServerResponse, refused: GuardRefusal): void {
  const allow = refused.setting === 'transport.allowedHosts' ? http.guard.hostname(refused.value) : refused.value;
  http.refusals.refused(refused, allow);
  http.telemetry.authRejected(refused.setting === 'transport.allowedOrigins' ? 'origin_not_allowed' : 'host_not_allowed');
  fail(http, res, 403, new RpcError('invalidRequest', `Forbidden: ${refused.reason}`));
}

function byMethod(http: HttpContext, req: IncomingMessage, res: ServerResponse, principal: Principal | undefined): void {
  const access = principal && http.access.of(res);
  if (access) access.principal = principal.name;
  const sessionId = header(req, 'mcp-session-id');
  switch (req.method) {
    case 'POST':
      return void servePost(http, req, res, sessionId, principal);
    case 'GET':
      // A new stream while draining would only be cut at the end of it: the client had better go elsewhere now.
      if (!http.drain.accepting) return fail(http, res, 503, shuttingDownError(), { connection: 'close' });
      return openStream(http, req, res, sessionId, principal);
    case 'DELETE':
      return deleteSession(http, res, sessionId, principal);
    default:
      return methodNotAllowed(http, res, sessionId ? 'GET, POST, DELETE' : 'POST');
  }
}
