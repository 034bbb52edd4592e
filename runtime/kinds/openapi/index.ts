import type { OpenApiParamIR, SourceIR } from '../../artifact/ir.js';
import { interpolateEnv } from '../../env.js';
import { textResult, type RuntimeKind } from '../kind.js';
import { credentialsFor } from './auth.js';
import { readCapped, shapeResponse } from './response.js';
import { encodeBody } from './body.js';
import { fetchWithRetry } from './retry.js';
import { TokenCache } from './tokens.js';
import { buildHeaders, buildQuery, cookieHeader, expandPath, type ParamSpec } from './serialize.js';

/** Arguments as the serialiser expects them: by parameter name, per location (names may repeat across locations). */
function valuesFor(params: readonly OpenApiParamIR[], args: Readonly<Record<string, unknown>>, where: OpenApiParamIR['in']) {
  const list = params.filter((p) => p.in === where);
  const specs: ParamSpec[] = list.map(({ argument: _a, ...spec }) => spec);
  const values = Object.fromEntries(list.filter((p) => args[p.argument] !== undefined).map((p) => [p.name, args[p.argument]]));
  return { specs, values };
}

/** The upstream base URL; requests may only go below it (no SSRF through arguments). */
function baseOf(source: SourceIR, env: NodeJS.ProcessEnv, server: string | undefined): URL | string {
  const { value, missing } = interpolateEnv(source.baseUrl, env);
  if (missing.length > 0) return `the base URL needs ${missing.join(', ')} (set it, or baseUrl in the manifest)`;
  const slash = (u: string) => (u.endsWith('/') ? u : `${u}/`);
  try {
    return server ? new URL(slash(server), slash(value) === '/' ? undefined : slash(value)) : new URL(slash(value));
  } catch {
    return `the base URL ${JSON.stringify(server ?? value)} is not an absolute URL: set baseUrl on the source`;
  }
}

/** One token cache per source, shared by its tools (not per artifact swap: tokens outlive rebuilds). */
const tokenCaches = new Map<string, TokenCache>();

/** An OpenAPI operation: the call's arguments become one HTTP request to the source's server. */
export const openapiKind: RuntimeKind<'openapi'> = {
  tool(exec, services) {
    const source = services.sources[exec.source];
    if (!source) throw new Error(`artifact has no source "${exec.source}": rebuild it`);
    const tokens = tokenCaches.get(exec.source) ?? new TokenCache();
    tokenCaches.set(exec.source, tokens);
    return async (args, ctx) => {
      const base = baseOf(source, process.env, exec.server);
      if (typeof base === 'string') return textResult(`Cannot call ${exec.operationId}: ${base}.`, true);
      const auth = await credentialsFor(source, exec.security, process.env, tokens, ctx.signal);
      if ('failed' in auth) return textResult(`Cannot call ${exec.operationId}: ${auth.failed}.`, true);
      if ('missing' in auth) return textResult(`Cannot call ${exec.operationId}: no credential for ${auth.missing.join(' or ')} (set it under auth: of source "${exec.source}").`, true);
      let url: URL;
      const headers: Record<string, string> = { accept: 'application/json, */*;q=0.8' };
      try {
        const path = valuesFor(exec.params, args, 'path');
        const query = valuesFor(exec.params, args, 'query');
        const relative = expandPath(exec.path, path.specs, path.values).replace(/^\//, '');
        url = new URL(relative + buildQuery(query.specs, query.values), base);
        for (const [k, v] of auth.query) url.searchParams.append(k, v);
        const header = valuesFor(exec.params, args, 'header');
        Object.assign(headers, buildHeaders(header.specs, header.values), auth.headers);
        const cookie = valuesFor(exec.params, args, 'cookie');
        const cookies = [cookieHeader(cookie.specs, cookie.values), ...auth.cookies].filter(Boolean);
        if (cookies.length > 0) headers.cookie = cookies.join('; ');
      } catch (e) {
        return textResult(`Invalid arguments for ${exec.operationId}: ${(e as Error).message}`, true);
      }
      if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
        return textResult(`Refused: the request for ${exec.operationId} would leave ${base.href}.`, true);
      }
      let body: ReturnType<typeof encodeBody>['payload'] | undefined;
      if (exec.body && args[exec.body.argument] !== undefined) {
        try {
          const encoded = encodeBody(exec.body, args[exec.body.argument]);
          body = encoded.payload;
          if (encoded.contentType) headers['content-type'] = encoded.contentType;
        } catch (e) {
          return textResult(`Invalid arguments for ${exec.operationId}: ${(e as Error).message}`, true);
        }
      }
      let response: Response;
      try {
        const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(source.timeoutMs)]);
        // Redirects are followed by hand, only while they stay below the base URL: credentials never leave it.
        response = await fetchWithRetry(url, { method: exec.method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual', signal });
        for (let hops = 0; response.status >= 300 && response.status < 400 && response.headers.has('location') && hops < 5; hops++) {
          const next = new URL(response.headers.get('location')!, url);
          await response.body?.cancel();
          if (next.origin !== base.origin || !next.pathname.startsWith(base.pathname)) {
            return textResult(`Refused: ${exec.operationId} was redirected to ${next.origin}${next.pathname}, outside ${base.href}.`, true);
          }
          const keepMethod = response.status === 307 || response.status === 308;
          url = next;
          response = await fetchWithRetry(url, { method: keepMethod ? exec.method : 'GET', headers, ...(keepMethod && body !== undefined ? { body } : {}), redirect: 'manual', signal });
        }
      } catch (e) {
        const reason = (e as Error).name === 'TimeoutError' ? `timed out after ${source.timeoutMs} ms` : ((e as { cause?: Error }).cause?.message ?? (e as Error).message);
        return textResult(`${exec.operationId} failed: ${exec.method} ${url.origin}${url.pathname}: ${reason}`, true);
      }
      // A token the API refuses is dropped, so the next call fetches a fresh one.
      if (response.status === 401) tokens.forget();
      return shapeResponse(response, await readCapped(response, source.maxResponseBytes), source.maxResponseBytes);
    };
  }
};
