/**
 * How one parameter value becomes text: value shapes, percent-encoders, the header guard and the style
 * expansions. Errors thrown here carry only the reason; serialize.ts prefixes the parameter's name.
 */

export type ParamStyle = 'matrix' | 'label' | 'simple' | 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';

/** A query or cookie name and value, both already percent-encoded. */
export type EncodedPair = [name: string, value: string];

type Encoder = (text: string) => string;

/** A defined value with the style and explode that apply to it. */
export interface Prepared {
  shape: Shape;
  style: ParamStyle;
  explode: boolean;
}

/** A parameter value reduced to what the style tables can express: one level, scalars as text. */
export type Shape =
  | { kind: 'primitive'; value: string }
  | { kind: 'array'; items: string[] }
  | { kind: 'object'; entries: Array<[string, string]> };

const isDefined = (v: unknown): boolean => v !== undefined && v !== null;

/**
 * Undefined when RFC 6570 §2.3 calls the value undefined (null, an empty list, a map with no defined
 * member), so callers omit the parameter instead of sending an empty one. Null list items and map
 * members are dropped for the same reason.
 */
export function shapeOf(value: unknown): Shape | undefined {
  if (!isDefined(value)) return undefined;
  if (Array.isArray(value)) {
    const items = value.filter(isDefined).map(scalarText);
    return items.length > 0 ? { kind: 'array', items } : undefined;
  }
  if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    // A Date or Map has no own entries and would vanish silently; tool arguments are JSON anyway.
    if (proto !== Object.prototype && proto !== null) throw new Error('only plain objects can be serialised');
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => isDefined(member))
      .map(([key, member]): [string, string] => [key, scalarText(member)]);
    return entries.length > 0 ? { kind: 'object', entries } : undefined;
  }
  return { kind: 'primitive', value: scalarText(value) };
}

function scalarText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'number':
      // "NaN" or "Infinity" would reach the server as a word it never asked for.
      if (!Number.isFinite(value)) throw new Error(`${value} is not a finite number`);
      return String(value);
    case 'object':
      throw new Error(
        'nested arrays and objects have no defined serialisation for this style; declare the parameter with `content: application/json`'
      );
    default:
      throw new Error(`a ${typeof value} cannot be serialised`);
  }
}

/** The text a `content:` parameter carries: JSON for JSON media types, otherwise the scalar as is. */
export function contentText(contentType: string, value: unknown): string {
  const media = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (media === 'application/json' || media.endsWith('+json')) return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) {
    throw new Error(`an object or array cannot be sent as ${media}; only JSON content accepts one`);
  }
  return scalarText(value);
}

/**
 * RFC 6570 simple expansion: everything outside RFC 3986 "unreserved" (A-Z a-z 0-9 - . _ ~) is
 * percent-encoded. encodeURIComponent alone would leave ! ' ( ) * raw.
 */
export function encodeStrict(text: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch {
    throw new Error('not well-formed Unicode (it contains a lone surrogate)');
  }
  return encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Reserved characters `allowReserved` lets through. OAS 3.1.1 keeps `[ ] #` (not allowed in a query)
 * and `& = +` (form-urlencoded delimiters) encoded, so only these survive.
 */
const PASSED_RESERVED = new Set(['%3A', '%2F', '%3F', '%40', '%21', '%24', '%27', '%28', '%29', '%2A', '%2C', '%3B']);

/** RFC 6570 reserved expansion as OAS 3.1.1 narrows it; existing %XX triples pass through untouched. */
export function encodeAllowReserved(text: string): string {
  return text
    .split(/(%[0-9A-Fa-f]{2})/)
    .map((piece, i) =>
      i % 2 === 1 ? piece : encodeStrict(piece).replace(/%[0-9A-F]{2}/g, (t) => (PASSED_RESERVED.has(t) ? decodeURIComponent(t) : t))
    )
    .join('');
}

/**
 * RFC 9110 field-value: visible ASCII, space, tab and obs-text. CR or LF would let a value inject
 * headers; anything above U+00FF cannot be sent as a header byte at all.
 */
export function assertHeaderSafe(text: string): string {
  const bad = /[^\t\x20-\x7e\x80-\xff]/.exec(text);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new Error(`header values cannot contain U+${code}; encode the value first (headers are never percent-encoded)`);
  }
  return text;
}

/** simple, label and matrix, as RFC 6570 expands `{x}`, `{.x}` and `{;x}` (with `*` when exploded). */
export function rfc6570String({ shape, style, explode }: Prepared, name: string, encode: Encoder): string {
  const prefix = style === 'label' ? '.' : style === 'matrix' ? ';' : '';
  const named = style === 'matrix';
  const encodedName = encodeStrict(name);
  // RFC 6570's "ifemp" for `;` is empty: an empty value is `;x`, not `;x=`.
  const pair = (key: string, text: string): string => (named && text === '' ? key : `${key}=${text}`);
  if (shape.kind === 'primitive') return prefix + (named ? pair(encodedName, encode(shape.value)) : encode(shape.value));
  if (!explode) {
    const list = flatten(shape).map(encode).join(',');
    return prefix + (named ? pair(encodedName, list) : list);
  }
  const parts =
    shape.kind === 'array'
      ? shape.items.map((item) => (named ? pair(encodedName, encode(item)) : encode(item)))
      : shape.entries.map(([key, text]) => pair(encode(key), encode(text)));
  return prefix + parts.join(style === 'simple' ? ',' : prefix);
}

/** The delimiters RFC 3986 forbids raw in a query are sent encoded, exactly as the Style Examples table shows. */
const LIST_DELIMITER: Partial<Record<ParamStyle, { raw: string; encoded: string }>> = {
  form: { raw: ',', encoded: ',' },
  spaceDelimited: { raw: ' ', encoded: '%20' },
  pipeDelimited: { raw: '|', encoded: '%7C' }
};

/** form, spaceDelimited, pipeDelimited and deepObject as name/value pairs. */
export function formPairs({ shape, style, explode }: Prepared, name: string, encode: Encoder): EncodedPair[] {
  const encodedName = encodeStrict(name);
  if (style === 'deepObject') {
    // Only objects with scalar members are defined; `explode` has no effect (false is the default yet undefined).
    if (shape.kind !== 'object') throw new Error(`deepObject needs an object, not ${shape.kind === 'array' ? 'an array' : 'a primitive'}`);
    rejectDelimiter([name, ...shape.entries.map(([key]) => key)], ['[', ']'], 'deepObject');
    return shape.entries.map(([key, text]) => [`${encodedName}%5B${encode(key)}%5D`, encode(text)]);
  }
  // spaceDelimited/pipeDelimited with explode are n/a in the table; explode is defined as "separate
  // parameters for each value", so they repeat exactly like form.
  if (explode && shape.kind === 'array') return shape.items.map((item) => [encodedName, encode(item)]);
  if (explode && shape.kind === 'object') return shape.entries.map(([key, text]) => [encode(key), encode(text)]);
  // A primitive in spaceDelimited/pipeDelimited (n/a in the table) is sent as a one-item list.
  const list = shape.kind === 'primitive' ? [shape.value] : flatten(shape);
  const delimiter = LIST_DELIMITER[style] ?? { raw: ',', encoded: ',' };
  if (style !== 'form' && !explode) rejectDelimiter(list, [delimiter.raw], style);
  return [[encodedName, list.map(encode).join(delimiter.encoded)]];
}

/**
 * The delimiters of spaceDelimited, pipeDelimited and deepObject must be percent-encoded, so a value
 * holding one would be split by the server; refuse rather than send different data (Appendix E).
 */
function rejectDelimiter(texts: readonly string[], delimiters: readonly string[], style: ParamStyle): void {
  const found = delimiters.find((delimiter) => texts.some((text) => text.includes(delimiter)));
  if (found !== undefined) {
    throw new Error(
      `"${found}" is a ${style} delimiter and cannot appear inside the data it delimits; use style form or content application/json`
    );
  }
}

function flatten(shape: Exclude<Shape, { kind: 'primitive' }>): string[] {
  return shape.kind === 'array' ? shape.items : shape.entries.flat();
}
