/**
 * OpenAPI 3.1 parameter serialisation (the "Style Values" and "Style Examples" tables), for turning MCP
 * tool arguments into an HTTP request. Pure: no I/O, no dependencies. Where the spec says n/a or leaves a
 * choice open, the decision is documented at the code that makes it.
 */
import {
  assertHeaderSafe,
  contentText,
  encodeAllowReserved,
  encodeStrict,
  formPairs,
  rfc6570String,
  shapeOf,
  type EncodedPair,
  type ParamStyle,
  type Prepared,
  type Shape
} from './encode.js';

export type ParamLocation = 'path' | 'query' | 'header' | 'cookie';
export type { ParamStyle, EncodedPair };

export interface ParamSpec {
  name: string;
  in: ParamLocation;
  style?: ParamStyle;
  explode?: boolean;
  /** Query only: RFC 6570 reserved expansion, narrowed as OAS 3.1.1 requires (see encodeAllowReserved). */
  allowReserved?: boolean;
  /** The one media type of a `content:` parameter; the value then travels as a single opaque string. */
  contentType?: string;
}

/** Which styles each location accepts, per the "Style Values" table. */
const STYLES_IN: Record<ParamLocation, readonly ParamStyle[]> = {
  path: ['simple', 'label', 'matrix'],
  query: ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject'],
  header: ['simple'],
  cookie: ['form']
};

/** The spec says these header parameters SHALL be ignored: HTTP machinery owns them. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

export function defaultStyle(location: ParamLocation): ParamStyle {
  return location === 'query' || location === 'cookie' ? 'form' : 'simple';
}

export function defaultExplode(style: ParamStyle): boolean {
  return style === 'form';
}

/** The style and explode in effect. Throws for a style its location does not allow, so a build step can reject it early. */
export function resolveStyle(spec: ParamSpec): { style: ParamStyle; explode: boolean } {
  if (spec.contentType !== undefined) return { style: defaultStyle(spec.in), explode: false };
  const style = spec.style ?? defaultStyle(spec.in);
  const allowed = STYLES_IN[spec.in];
  if (!allowed.includes(style)) throw paramError(spec, `style "${style}" is not allowed here (use ${allowed.join(', ')})`);
  return { style, explode: spec.explode ?? defaultExplode(style) };
}

/**
 * The path with every {name} replaced, each value percent-encoded so it can never add a segment, `?` or `#`.
 * Throws when a path parameter is missing or empty, or when the result would hold a `.`/`..` segment.
 */
export function expandPath(template: string, params: readonly ParamSpec[], values: Readonly<Record<string, unknown>>): string {
  const expanded = template.replace(/\{([^{}]*)\}/g, (_match, name: string) => {
    // A template variable without a declared parameter still gets the path default (simple) rather than failing.
    const spec = params.find((p) => p.in === 'path' && p.name === name) ?? { name, in: 'path' };
    const prepared = prepare(spec, ownValue(values, name));
    if (!prepared) throw paramError(spec, 'is required but has no value');
    const text = withContext(spec, () => rfc6570String(prepared, spec.name, encodeStrict));
    // `/pets/{id}` with id "" would become `/pets/`, i.e. a different endpoint.
    if (text === '') throw paramError(spec, 'is empty, which would leave an empty path segment');
    return text;
  });
  if (/[{}]/.test(expanded)) throw new Error(`path template "${template}" has unbalanced braces`);
  // Encoding cannot help here: WHATWG URL (fetch, new URL) resolves "%2E%2E" exactly like "..".
  const dotSegment = expanded.split('/').find((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
  if (dotSegment !== undefined) {
    throw new Error(`path "${template}" would expand to the segment "${dotSegment}", which URL parsers resolve away`);
  }
  return expanded;
}

/** The query's name/value pairs in parameter order, encoded, e.g. [['id','3'],['id','4']]. */
export function queryPairs(params: readonly ParamSpec[], values: Readonly<Record<string, unknown>>): EncodedPair[] {
  return params.flatMap((spec) => {
    if (spec.in !== 'query') return [];
    const prepared = prepare(spec, ownValue(values, spec.name));
    if (!prepared) return [];
    // allowReserved is a `schema`-only field; content is always fully encoded.
    const encode = spec.allowReserved && spec.contentType === undefined ? encodeAllowReserved : encodeStrict;
    return withContext(spec, () => formPairs(prepared, spec.name, encode));
  });
}

/** `?a=1&b=2`, or '' when no query parameter has a value. */
export function buildQuery(params: readonly ParamSpec[], values: Readonly<Record<string, unknown>>): string {
  const pairs = queryPairs(params, values);
  return pairs.length === 0 ? '' : `?${pairs.map(([name, value]) => `${name}=${value}`).join('&')}`;
}

/** One header's value, never percent-encoded (OAS 3.1.2); undefined when the value is absent. */
export function headerValue(spec: ParamSpec, value: unknown): string | undefined {
  if (spec.in !== 'header') throw paramError(spec, 'is not a header parameter');
  const prepared = prepare(spec, value);
  if (!prepared) return undefined;
  return withContext(spec, () => assertHeaderSafe(rfc6570String(prepared, spec.name, (text) => text)));
}

/** Every header parameter that has a value, by name. Accept, Content-Type and Authorization are skipped, as the spec requires. */
export function buildHeaders(params: readonly ParamSpec[], values: Readonly<Record<string, unknown>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const spec of params) {
    if (spec.in !== 'header' || IGNORED_HEADERS.has(spec.name.toLowerCase())) continue;
    const text = headerValue(spec, ownValue(values, spec.name));
    if (text !== undefined) headers[spec.name] = text;
  }
  return headers;
}

/**
 * The Cookie header value, e.g. `a=1; b=2`, or undefined when no cookie has a value. Exploded values
 * repeat as `color=blue; color=black`: form's `&` is never right in a cookie (OAS 3.1.1 Appendix D).
 */
export function cookieHeader(params: readonly ParamSpec[], values: Readonly<Record<string, unknown>>): string | undefined {
  const pairs = params.flatMap((spec) => {
    if (spec.in !== 'cookie') return [];
    const prepared = prepare(spec, ownValue(values, spec.name));
    // Percent-encoding (form style) keeps ; , space and non-ASCII out of the header, even for `content`.
    return prepared ? withContext(spec, () => formPairs(prepared, spec.name, encodeStrict)) : [];
  });
  return pairs.length === 0 ? undefined : pairs.map(([name, value]) => `${name}=${value}`).join('; ');
}

function prepare(spec: ParamSpec, value: unknown): Prepared | undefined {
  const { style, explode } = resolveStyle(spec);
  return withContext(spec, () => {
    if (value === undefined || value === null) return undefined;
    const shape: Shape | undefined =
      spec.contentType !== undefined ? { kind: 'primitive', value: contentText(spec.contentType, value) } : shapeOf(value);
    return shape && { shape, style, explode };
  });
}

/** Own properties only: a parameter named "constructor" must not pick up Object.prototype.constructor. */
function ownValue(values: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}

function withContext<T>(spec: ParamSpec, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw paramError(spec, error instanceof Error ? error.message : String(error), error);
  }
}

function paramError(spec: ParamSpec, reason: string, cause?: unknown): Error {
  return new Error(`${spec.in} parameter "${spec.name}": ${reason}`, cause === undefined ? undefined : { cause });
}
