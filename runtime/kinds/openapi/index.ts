import type { OpenApiParamIR, OpenApiSourceIR, OpenApiToolExec } from './ir.js';
import { interpolateEnv } from '../../env.js';
import { textResult, type RuntimeKind, type ToolContext } from '../kind.js';
import { credentialsFor, type Caller, type Credentials } from './auth.js';
import { discard, readBody, type Agents, type UpstreamResponse } from './client.js';
import { encodeBody, resolveFileParts } from './body.js';
import { dynamicTool } from './dynamic.js';
import { CallLimit, CallStopped } from './limit.js';
import { shapeResponse } from './response.js';
import { sendWithRetry } from './retry.js';
import { OpenApiSource } from './source.js';
import { upstreamCalls } from './observe.js';
import { buildHeaders, buildQuery, cookieHeader, expandPath, type ParamSpec } from './serialize.js';

/** One location's parameters, split once per tool: the serialiser's specs, and the argument carrying each. */
interface Located {
  readonly specs: readonly ParamSpec[];
  readonly arguments: readonly string[];
}

function locate(params: readonly OpenApiParamIR[], where: OpenApiParamIR['in']): Located | undefined {
  const list = params.filter((p) => p.in === where);
  if (list.length === 0) return undefined;
  return { specs: list.map(({ argument: _a, ...spec }) => spec), arguments: list.map((p) => p.argument) };
}

/** Arguments by parameter name (names may repeat across locations); own properties only, so "constructor" is just a name. */
function valuesOf(located: Located, args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const values = Object.create(null) as Record<string, unknown>;
  for (let i = 0; i < located.specs.length; i++) {
    const argument = located.arguments[i]!;
    if (Object.hasOwn(args, argument) && args[argument] !== undefined) values[located.specs[i]!.name] = args[argument];
  }
  return values;
}

/** Headers HTTP itself owns: a header parameter cannot set them (they would break the message's framing). */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer'
]);

/**
 * The upstream base URL; requests may only go below it (no SSRF through arguments). `${VAR}`s are resolved on
 * every call (the environment may change); the URL is parsed again only when the resolved text does.
 */
function baseResolver(source: OpenApiSourceIR, server: string | undefined): (env: NodeJS.ProcessEnv) => URL | string {
  let resolved: string | undefined;
  let base: URL | string = '';
  const slash = (u: string) => (u.endsWith('/') ? u : `${u}/`);
  return (env) => {
    const { value, missing } = interpolateEnv(source.baseUrl, env);
    if (missing.length > 0) return `the base URL needs ${missing.join(', ')} (set it, or baseUrl in the manifest)`;
    if (value === resolved) return base;
    resolved = value;
    try {
      base = server ? new URL(slash(server), slash(value) === '/' ? undefined : slash(value)) : new URL(slash(value));
    } catch {
      base = `the base URL ${JSON.stringify(server ?? value)} is not an absolute URL: set baseUrl on the source`;
    }
    return base;
  };
}

const below = (url: URL, base: URL) => url.origin === base.origin && url.pathname.startsWith(base.pathname);

/**
 * Who calls, for credentials: the principal, and its access token when it signed in with OAuth (an API key is
 * never exchanged; the token never goes upstream itself, only what the token endpoint gives for it).
 */
function callerOf(ctx: ToolContext): Caller {
  const bearer = ctx.principal?.canStepUp === true ? ctx.requestHeader?.('authorization') : undefined;
  const token = bearer !== undefined && bearer.slice(0, 7).toLowerCase() === 'bearer ' ? bearer.slice(7).trim() : undefined;
  return { ...(ctx.principal ? { principal: ctx.principal } : {}), ...(token ? { subjectToken: token } : {}) };
}

const NO_CREDENTIALS: Credentials = Object.freeze({ headers: {}, query: [], cookies: [] });

/** An OpenAPI operation: the call's arguments become one HTTP request to the source's server. */
export const openapiKind: RuntimeKind<'openapi'> = {
  source: { open: (name, ir) => new OpenApiSource(name, ir) },
  tool(exec, services) {
    if ('meta' in exec)
      return dynamicTool(exec, services, (entry) => openapiKind.tool({ kind: 'openapi', ...entry.exec }, services, { name: entry.name }));
    if (services.sources[exec.source]?.kind !== 'openapi') throw new Error(`artifact has no OpenAPI source "${exec.source}": rebuild it`);
    const { ir: source, tokens, agents } = services.source<OpenApiSource>(exec.source);
    const baseOf = baseResolver(source, exec.server);
    const anonymous = exec.security.length === 0 || exec.security.some((alt) => alt.length === 0);
    const [path, query, header, cookie] = (['path', 'query', 'header', 'cookie'] as const).map((where) => locate(exec.params, where));
    const relativePath = exec.path.replace(/^\//, '');
    const forward = source.forwardHeaders && source.forwardHeaders.length > 0 ? source.forwardHeaders : undefined;
    const observed = upstreamCalls(services, exec);
    return async (args, ctx) => {
      const base = baseOf(process.env);
      if (typeof base === 'string') return textResult(`Cannot call ${exec.operationId}: ${base}.`, true);
      const auth = anonymous
        ? NO_CREDENTIALS
        : await credentialsFor(source, exec.security, process.env, tokens, ctx.signal, callerOf(ctx), exec.source);
      if ('failed' in auth) return textResult(`Cannot call ${exec.operationId}: ${auth.failed}.`, true);
      if ('missing' in auth)
        return textResult(`Cannot call ${exec.operationId}: no credential for ${auth.missing.join(' or ')} (${auth.remedy}).`, true);
      let url: URL;
      const headers: Record<string, string> = { accept: 'application/json, */*;q=0.8' };
      try {
        const relative = path ? expandPath(exec.path, path.specs, valuesOf(path, args)).replace(/^\//, '') : relativePath;
        url = new URL(query ? relative + buildQuery(query.specs, valuesOf(query, args)) : relative, base);
        for (const [k, v] of auth.query) url.searchParams.append(k, v);
        if (header) {
          for (const [k, v] of Object.entries(buildHeaders(header.specs, valuesOf(header, args)))) {
            const name = k.toLowerCase();
            if (!RESERVED_HEADERS.has(name)) headers[name] = v;
          }
        }
        // Headers of the MCP request on the source's allow-list, renamed where it says so (never Authorization,
        // Cookie or Host, as source or target: the schema refuses them).
        if (forward && ctx.requestHeader) {
          for (const entry of forward) {
            const [from, to] = typeof entry === 'string' ? [entry, entry] : [entry.from, entry.to];
            const value = ctx.requestHeader(from);
            if (value !== undefined && headers[to] === undefined) headers[to] = value;
          }
        }
        Object.assign(headers, auth.headers);
        if (cookie || auth.cookies.length > 0) {
          const cookies = [cookie && cookieHeader(cookie.specs, valuesOf(cookie, args)), ...auth.cookies].filter(Boolean);
          if (cookies.length > 0) headers.cookie = cookies.join('; ');
        }
      } catch (e) {
        return textResult(`Invalid arguments for ${exec.operationId}: ${(e as Error).message}`, true);
      }
      if (!below(url, base)) return textResult(`Refused: the request for ${exec.operationId} would leave ${base.href}.`, true);
      let body: string | Buffer | undefined;
      if (exec.body && args[exec.body.argument] !== undefined) {
        try {
          const value = exec.body.files
            ? await resolveFileParts(args[exec.body.argument], exec.body.files, ctx.readResource)
            : args[exec.body.argument];
          const encoded = encodeBody(exec.body, value);
          body = encoded.payload;
          headers['content-type'] = encoded.contentType;
        } catch (e) {
          return textResult(`Invalid arguments for ${exec.operationId}: ${(e as Error).message}`, true);
        }
      }
      const limit = new CallLimit(ctx, source.timeoutMs);
      return observed(url, headers, ctx.trace, async (call) => {
        try {
          let response = await sendWithRetry({ method: exec.method, url, headers, ...(body !== undefined ? { body } : {}) }, limit, agents);
          // Redirects are followed by hand, only while they stay below the base URL: credentials never leave it.
          for (let hops = 0; isRedirect(response) && hops < 5; hops++) {
            const next = new URL(response.headers.location!, url);
            discard(response);
            if (!below(next, base))
              return textResult(
                `Refused: ${exec.operationId} was redirected to ${next.origin}${next.pathname}, outside ${base.href}.`,
                true
              );
            url = next;
            response = await followRedirect(exec, response.status, url, headers, body, limit, agents);
          }
          call.status(response.status);
          // A token the API refuses is dropped, so the next call fetches a fresh one.
          if (response.status === 401) tokens.forget();
          return shapeResponse(response, await readBody(response, source.maxResponseBytes, limit), source.maxResponseBytes);
        } catch (e) {
          const reason = e instanceof CallStopped ? e.message : (e as Error).message;
          call.failed(reason);
          return textResult(`${exec.operationId} failed: ${exec.method} ${url.origin}${url.pathname}: ${reason}`, true);
        } finally {
          limit.dispose();
        }
      });
    };
  }
};

const isRedirect = (r: UpstreamResponse) => r.status >= 300 && r.status < 400 && typeof r.headers.location === 'string';

/** 307 and 308 repeat the request; the others turn it into a GET without a body. */
function followRedirect(
  exec: OpenApiToolExec,
  status: number,
  url: URL,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  limit: CallLimit,
  agents: Agents
) {
  const keep = status === 307 || status === 308;
  if (keep) return sendWithRetry({ method: exec.method, url, headers, ...(body !== undefined ? { body } : {}) }, limit, agents);
  const { 'content-type': _dropped, ...rest } = headers;
  return sendWithRetry({ method: 'GET', url, headers: rest }, limit, agents);
}
