import { describe, expect, it } from 'vitest';
import {
  buildHeaders,
  buildQuery,
  cookieHeader,
  defaultExplode,
  defaultStyle,
  expandPath,
  headerValue,
  queryPairs,
  resolveStyle,
  type ParamLocation,
  type ParamSpec,
  type ParamStyle
} from '../../runtime/kinds/openapi/serialize.js';

/** The three values of the spec's "Style Examples" table, plus the empty string its first column shows. */
const VALUES = { empty: '', string: 'blue', array: ['blue', 'black', 'brown'], object: { R: 100, G: 200, B: 150 } } as const;
type Column = keyof typeof VALUES;
/** [style, explode, empty, string, array, object]; null marks the table's n/a cells (tested as documented choices below). */
type Row = [ParamStyle, boolean, string | null, string | null, string | null, string | null];

function cases(rows: Row[], columns: readonly Column[] = ['empty', 'string', 'array', 'object']) {
  const order: Column[] = ['empty', 'string', 'array', 'object'];
  return rows.flatMap(([style, explode, ...cells]) =>
    columns.flatMap((column) => {
      const want = cells[order.indexOf(column)];
      return want === null || want === undefined ? [] : [{ style, explode, column, want }];
    })
  );
}

const color = (location: ParamLocation, style: ParamStyle, explode?: boolean): ParamSpec => ({
  name: 'color',
  in: location,
  style,
  explode
});

// OAS 3.1.1/3.1.2 "Style Examples" (the 3.1.2 "undefined" column is RFC 6570's empty-string result).
describe('Style Examples table', () => {
  const pathRows: Row[] = [
    ['matrix', false, ';color', ';color=blue', ';color=blue,black,brown', ';color=R,100,G,200,B,150'],
    ['matrix', true, ';color', ';color=blue', ';color=blue;color=black;color=brown', ';R=100;G=200;B=150'],
    ['label', false, '.', '.blue', '.blue,black,brown', '.R,100,G,200,B,150'],
    ['label', true, '.', '.blue', '.blue.black.brown', '.R=100.G=200.B=150']
  ];
  const simpleRows: Row[] = [
    ['simple', false, '', 'blue', 'blue,black,brown', 'R,100,G,200,B,150'],
    ['simple', true, '', 'blue', 'blue,black,brown', 'R=100,G=200,B=150']
  ];
  // A literal "x" before the variable keeps label's lone "." from being a dot segment.
  it.each(cases(pathRows))('path $style explode=$explode $column → $want', ({ style, explode, column, want }) => {
    expect(expandPath('/pets/x{color}', [color('path', style, explode)], { color: VALUES[column] })).toBe(`/pets/x${want}`);
  });
  it.each(cases(simpleRows, ['string', 'array', 'object']))(
    'path $style explode=$explode $column → $want',
    ({ style, explode, column, want }) => {
      expect(expandPath('/pets/{color}', [color('path', style, explode)], { color: VALUES[column] })).toBe(`/pets/${want}`);
    }
  );
  it.each(cases(simpleRows))('header $style explode=$explode $column → $want', ({ style, explode, column, want }) => {
    expect(headerValue(color('header', style, explode), VALUES[column])).toBe(want);
  });

  const queryRows: Row[] = [
    ['form', false, 'color=', 'color=blue', 'color=blue,black,brown', 'color=R,100,G,200,B,150'],
    ['form', true, 'color=', 'color=blue', 'color=blue&color=black&color=brown', 'R=100&G=200&B=150'],
    ['spaceDelimited', false, null, null, 'color=blue%20black%20brown', 'color=R%20100%20G%20200%20B%20150'],
    ['pipeDelimited', false, null, null, 'color=blue%7Cblack%7Cbrown', 'color=R%7C100%7CG%7C200%7CB%7C150'],
    ['deepObject', false, null, null, null, 'color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150'],
    ['deepObject', true, null, null, null, 'color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150']
  ];
  it.each(cases(queryRows))('query $style explode=$explode $column → $want', ({ style, explode, column, want }) => {
    expect(buildQuery([color('query', style, explode)], { color: VALUES[column] })).toBe(`?${want}`);
  });

  // Exploded rows use "; " between pairs, as OAS 3.2's cookie table does: "&" is never right in a cookie.
  const cookieRows: Row[] = [
    ['form', false, 'color=', 'color=blue', 'color=blue,black,brown', 'color=R,100,G,200,B,150'],
    ['form', true, 'color=', 'color=blue', 'color=blue; color=black; color=brown', 'R=100; G=200; B=150']
  ];
  it.each(cases(cookieRows))('cookie $style explode=$explode $column → $want', ({ style, explode, column, want }) => {
    expect(cookieHeader([color('cookie', style, explode)], { color: VALUES[column] })).toBe(want);
  });
});

describe('defaults', () => {
  it.each([
    ['path', 'simple'],
    ['query', 'form'],
    ['header', 'simple'],
    ['cookie', 'form']
  ] as const)('defaultStyle(%s) → %s', (location, want) => expect(defaultStyle(location)).toBe(want));
  it.each([
    ['form', true],
    ['simple', false],
    ['label', false],
    ['matrix', false],
    ['spaceDelimited', false],
    ['pipeDelimited', false],
    ['deepObject', false]
  ] as const)('defaultExplode(%s) → %s', (style, want) => expect(defaultExplode(style)).toBe(want));
  it.each([
    [
      { name: 'a', in: 'query' },
      { style: 'form', explode: true }
    ],
    [
      { name: 'a', in: 'path' },
      { style: 'simple', explode: false }
    ],
    [
      { name: 'a', in: 'path', style: 'matrix', explode: true },
      { style: 'matrix', explode: true }
    ],
    [
      { name: 'a', in: 'cookie', explode: false },
      { style: 'form', explode: false }
    ],
    [
      { name: 'a', in: 'query', style: 'deepObject', contentType: 'application/json' },
      { style: 'form', explode: false }
    ]
  ] as Array<[ParamSpec, unknown]>)('resolveStyle(%o)', (spec, want) => expect(resolveStyle(spec)).toEqual(want));
  it.each([
    [{ name: 'a', in: 'path', style: 'form' }, 'path parameter "a": style "form" is not allowed here (use simple, label, matrix)'],
    [{ name: 'a', in: 'query', style: 'matrix' }, 'query parameter "a": style "matrix" is not allowed here'],
    [{ name: 'a', in: 'header', style: 'form' }, 'header parameter "a": style "form" is not allowed here (use simple)'],
    [{ name: 'a', in: 'cookie', style: 'spaceDelimited' }, 'cookie parameter "a": style "spaceDelimited" is not allowed here (use form)']
  ] as Array<[ParamSpec, string]>)('rejects %o', (spec, message) => {
    expect(() => resolveStyle(spec)).toThrow(message);
  });
  it('rejects a misplaced style even when the value is absent', () => {
    expect(() => buildQuery([{ name: 'a', in: 'query', style: 'label' }], {})).toThrow('style "label" is not allowed');
  });
});

const id: ParamSpec = { name: 'id', in: 'path' };
const pet = (value: unknown): string => expandPath('/pets/{id}', [id], { id: value });

describe('expandPath', () => {
  it.each([
    ['../admin', '/pets/..%2Fadmin'],
    ['a/b', '/pets/a%2Fb'],
    ['a?b#c', '/pets/a%3Fb%23c'],
    ['50%', '/pets/50%25'],
    ['%2e%2e', '/pets/%252e%252e'],
    ['...', '/pets/...'],
    ['.hidden', '/pets/.hidden'],
    ['café', '/pets/caf%C3%A9'],
    ["it's (a)*!", '/pets/it%27s%20%28a%29%2A%21'],
    ['a-b_c.d~e', '/pets/a-b_c.d~e'],
    ['a;b=c,d', '/pets/a%3Bb%3Dc%2Cd'],
    ['\\..\\x', '/pets/%5C..%5Cx'],
    [42, '/pets/42'],
    [1.5, '/pets/1.5'],
    [true, '/pets/true'],
    [false, '/pets/false'],
    [0, '/pets/0']
  ])('%j → %s', (given, want) => {
    expect(pet(given)).toBe(want);
  });

  it.each(['../admin', '..%2f', '/..', '../../etc/passwd', '?admin=1', '#frag', '\\..', 'a/../..', ' ', '\u0000', 'x\r\ny'])(
    'a WHATWG URL parser keeps %j inside one segment',
    (value) => {
      const path = pet(value);
      const url = new URL(`http://api.test/v1${path}?q=1`);
      expect(url.pathname).toBe(`/v1${path}`);
      expect(url.pathname.split('/')).toHaveLength(4);
      expect(url.search).toBe('?q=1');
    }
  );

  // "%2E%2E" would not help: new URL('http://h/pets/%2E%2E') is http://h/, so these are refused.
  it.each([
    ['.', '"."'],
    ['..', '".."']
  ])('refuses a value of %j', (value, segment) => {
    expect(() => pet(value)).toThrow(`path "/pets/{id}" would expand to the segment ${segment}`);
  });
  it('refuses label expansions that form a dot segment', () => {
    const spec: ParamSpec = { name: 'id', in: 'path', style: 'label', explode: true };
    expect(() => expandPath('/pets/{id}', [spec], { id: '' })).toThrow('would expand to the segment "."');
    expect(() => expandPath('/pets/{id}', [spec], { id: ['', ''] })).toThrow('would expand to the segment ".."');
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty array', []],
    ['an empty object', {}],
    ['an array of nulls', [null]]
  ])('throws when the value is %s', (_label, value) => {
    expect(() => pet(value)).toThrow('path parameter "id": is required but has no value');
  });
  it('throws when the value is missing from the record', () => {
    expect(() => expandPath('/pets/{id}', [id], {})).toThrow('path parameter "id": is required');
  });
  it('throws for an empty string rather than producing /pets/', () => {
    expect(() => pet('')).toThrow('path parameter "id": is empty');
  });
  it('does not read inherited properties as values', () => {
    expect(() => expandPath('/x/{constructor}', [], {})).toThrow('path parameter "constructor": is required');
  });
  it('expands several parameters and repeats of one', () => {
    const params: ParamSpec[] = [
      { name: 'owner', in: 'path' },
      { name: 'pet-id', in: 'path', style: 'matrix' },
      { name: 'owner', in: 'query' }
    ];
    expect(expandPath('/o/{owner}/p/{pet-id}/{owner}', params, { owner: 'a b', 'pet-id': 7 })).toBe('/o/a%20b/p/;pet-id=7/a%20b');
  });
  it('uses simple for a template variable with no declared parameter', () => {
    expect(expandPath('/a/{x}', [], { x: ['1', '2'] })).toBe('/a/1,2');
  });
  it('ignores allowReserved in a path', () => {
    expect(expandPath('/a/{x}', [{ name: 'x', in: 'path', allowReserved: true }], { x: 'a/b' })).toBe('/a/a%2Fb');
  });
  it('encodes commas inside values but not the list delimiter', () => {
    expect(pet(['a,b', 'c'])).toBe('/pets/a%2Cb,c');
  });
  it.each([
    ['/pets/{id', 'unbalanced braces'],
    ['/pets/id}', 'unbalanced braces']
  ])('rejects the template %s', (template, message) => {
    expect(() => expandPath(template, [id], { id: 1 })).toThrow(message);
  });
  it.each([
    [[['x']], 'nested arrays and objects'],
    [{ a: { b: 1 } }, 'nested arrays and objects'],
    [Number.NaN, 'NaN is not a finite number'],
    [Number.POSITIVE_INFINITY, 'Infinity is not a finite number'],
    [new Date(0), 'only plain objects'],
    ['\uD800', 'not well-formed Unicode']
  ])('rejects %o', (value, message) => {
    expect(() => pet(value)).toThrow(`path parameter "id": ${message}`);
  });
});

const q = (spec: Omit<ParamSpec, 'in'>, value: unknown): string => buildQuery([{ ...spec, in: 'query' }], { [spec.name]: value });

describe('buildQuery', () => {
  it.each([
    ['form', false, ['a,b', 'c'], '?color=a%2Cb,c'],
    ['form', true, ['a,b', 'c'], '?color=a%2Cb&color=c'],
    ['form', false, { 'k,1': 'v,2' }, '?color=k%2C1,v%2C2'],
    ['form', true, { 'a b': 'c&d=e' }, '?a%20b=c%26d%3De'],
    ['form', true, 'x+y z', '?color=x%2By%20z'],
    ['form', true, ['a', null, 'b'], '?color=a&color=b'],
    ['form', true, { a: 1, b: null, c: undefined }, '?a=1'],
    ['form', true, [true, 0, false, -1.5], '?color=true&color=0&color=false&color=-1.5'],
    ['form', false, 12345678901234567890n, '?color=12345678901234567890'],
    // n/a in the table: a primitive is a one-item list; explode means "separate parameters" as in form.
    ['spaceDelimited', false, 'blue', '?color=blue'],
    ['pipeDelimited', false, 'blue', '?color=blue'],
    ['spaceDelimited', true, ['blue', 'black'], '?color=blue&color=black'],
    ['pipeDelimited', true, { R: 100, G: 200 }, '?R=100&G=200'],
    ['spaceDelimited', true, 'a b', '?color=a%20b'],
    ['pipeDelimited', false, ['a,b', 'c/d'], '?color=a%2Cb%7Cc%2Fd'],
    ['deepObject', false, { 'a b': 'c[d]' }, '?color%5Ba%20b%5D=c%5Bd%5D']
  ] as Array<[ParamStyle, boolean, unknown, string]>)('%s explode=%s %o → %s', (style, explode, value, want) => {
    expect(q({ name: 'color', style, explode }, value)).toBe(want);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty array', []],
    ['an empty object', {}],
    ['an array of nulls', [null, undefined]],
    ['an object of nulls', { a: null }]
  ])('omits a parameter whose value is %s', (_label, value) => {
    expect(q({ name: 'color' }, value)).toBe('');
    expect(q({ name: 'color', explode: false }, value)).toBe('');
  });

  it('encodes parameter names', () => {
    expect(buildQuery([{ name: 'first name&x=', in: 'query' }], { 'first name&x=': 'Ada' })).toBe('?first%20name%26x%3D=Ada');
  });
  it('keeps parameter order, uses only query parameters and returns encoded pairs', () => {
    const params: ParamSpec[] = [
      { name: 'id', in: 'query' },
      { name: 'id', in: 'path' },
      { name: 'h', in: 'header' },
      { name: 'sort', in: 'query', style: 'pipeDelimited' },
      { name: 'missing', in: 'query' }
    ];
    const values = { id: [3, 4], h: 'x', sort: ['name', 'age'] };
    expect(queryPairs(params, values)).toEqual([
      ['id', '3'],
      ['id', '4'],
      ['sort', 'name%7Cage']
    ]);
    expect(buildQuery(params, values)).toBe('?id=3&id=4&sort=name%7Cage');
  });
  it('returns an empty string when there is nothing to send', () => {
    expect(buildQuery([], {})).toBe('');
    expect(buildQuery([{ name: 'toString', in: 'query' }], {})).toBe('');
  });

  // allowReserved (OAS 3.1.1): reserved characters pass, except [ ] # (illegal in a query) and & = + (form syntax).
  it.each([
    ['a/b?c:d@e', 'a/b?c:d@e'],
    ["!$'()*,;", "!$'()*,;"],
    ['#', '%23'],
    ['[x]', '%5Bx%5D'],
    ['a&b=c+d', 'a%26b%3Dc%2Bd'],
    ['%20 %41', '%20%20%41'],
    ['100%', '100%25'],
    ['%zz', '%25zz'],
    ['é|"<>', '%C3%A9%7C%22%3C%3E'],
    ['~-._', '~-._']
  ])('allowReserved: %j → %s', (given, want) => {
    expect(q({ name: 'q', allowReserved: true }, given)).toBe(`?q=${want}`);
  });
  it('encodes reserved characters without allowReserved', () => {
    expect(q({ name: 'q' }, "a/b?c:d@e!$'()*,;%20")).toBe('?q=a%2Fb%3Fc%3Ad%40e%21%24%27%28%29%2A%2C%3B%2520');
  });
  it('applies allowReserved to list items and keys but never to the parameter name', () => {
    expect(q({ name: 'a/b', allowReserved: true, explode: false }, ['x/y', 'z'])).toBe('?a%2Fb=x/y,z');
    expect(q({ name: 'f', allowReserved: true }, { 'p/q': 'r:s' })).toBe('?p/q=r:s');
  });

  it.each([
    ['spaceDelimited', ['new york', 'paris'], '" " is a spaceDelimited delimiter'],
    ['pipeDelimited', ['a|b'], '"|" is a pipeDelimited delimiter'],
    ['pipeDelimited', { k: 'a|b' }, '"|" is a pipeDelimited delimiter'],
    ['deepObject', { 'a[b]': 1 }, '"[" is a deepObject delimiter'],
    ['deepObject', { 'a]': 1 }, '"]" is a deepObject delimiter'],
    ['deepObject', 'blue', 'deepObject needs an object, not a primitive'],
    ['deepObject', ['blue'], 'deepObject needs an object, not an array'],
    ['deepObject', { a: { b: 1 } }, 'nested arrays and objects'],
    ['deepObject', { a: [1, 2] }, 'nested arrays and objects'],
    ['form', [{ a: 1 }], 'nested arrays and objects'],
    ['form', { a: [1] }, 'nested arrays and objects'],
    ['form', () => 1, 'a function cannot be serialised'],
    ['form', Symbol('s'), 'a symbol cannot be serialised']
  ] as Array<[ParamStyle, unknown, string]>)('%s rejects %o', (style, value, message) => {
    expect(() => q({ name: 'color', style }, value)).toThrow(`query parameter "color": ${message}`);
  });
  it('rejects a deepObject parameter name holding a bracket', () => {
    expect(() => q({ name: 'filter[]', style: 'deepObject' }, { a: 1 })).toThrow('"[" is a deepObject delimiter');
  });
});

describe('headerValue and buildHeaders', () => {
  const h = (value: unknown, explode?: boolean): string | undefined => headerValue({ name: 'X-Color', in: 'header', explode }, value);
  it.each([
    ['a b/c%?#', 'a b/c%?#'],
    [['a,b', 'c d'], 'a,b,c d'],
    [{ 'k=': 'v,' }, 'k=,v,'],
    ['café', 'café'],
    ['tab\there', 'tab\there'],
    [7, '7'],
    [false, 'false']
  ])('sends %j without percent-encoding as %j', (value, want) => {
    expect(h(value)).toBe(want);
  });
  it.each([undefined, null, [], {}])('returns undefined for %j', (value) => {
    expect(h(value)).toBeUndefined();
  });
  it.each([
    ['a\r\nX-Evil: 1', 'U+000D'],
    ['a\nb', 'U+000A'],
    ['a\u0000', 'U+0000'],
    ['\u007f', 'U+007F'],
    ['日本', 'U+65E5'],
    [['ok', 'b\r\n'], 'U+000D'],
    [{ k: 'v\n' }, 'U+000A']
  ])('rejects %j', (value, code) => {
    expect(() => h(value)).toThrow(`header parameter "X-Color": header values cannot contain ${code}`);
    expect(() => h(value, true)).toThrow(code);
  });
  it('refuses a parameter from another location', () => {
    expect(() => headerValue({ name: 'q', in: 'query' }, 'x')).toThrow('query parameter "q": is not a header parameter');
  });
  it('collects header parameters with values and skips the ones the spec says to ignore', () => {
    const params: ParamSpec[] = [
      { name: 'X-Trace', in: 'header' },
      { name: 'X-Tags', in: 'header', explode: true },
      { name: 'X-Missing', in: 'header' },
      { name: 'accept', in: 'header' },
      { name: 'Content-Type', in: 'header' },
      { name: 'Authorization', in: 'header' },
      { name: 'q', in: 'query' }
    ];
    const values = { 'X-Trace': 'abc', 'X-Tags': { a: 1 }, accept: 'text/html', 'Content-Type': 'x', Authorization: 'y', q: 'z' };
    expect(buildHeaders(params, values)).toEqual({ 'X-Trace': 'abc', 'X-Tags': 'a=1' });
  });
});

describe('cookieHeader', () => {
  const c = (value: unknown, explode?: boolean): string | undefined => cookieHeader([{ name: 'c', in: 'cookie', explode }], { c: value });
  it.each([
    ['a;b', 'c=a%3Bb'],
    ['a,b', 'c=a%2Cb'],
    ['a b', 'c=a%20b'],
    ['é', 'c=%C3%A9'],
    ['"q"=\\', 'c=%22q%22%3D%5C'],
    ['a\r\nb', 'c=a%0D%0Ab'],
    [['x;y', 'z'], 'c=x%3By; c=z']
  ])('percent-encodes %j → %s', (value, want) => {
    expect(c(value)).toBe(want);
  });
  it('separates non-exploded items with an unencoded comma', () => {
    expect(c(['x,y', 'z'], false)).toBe('c=x%2Cy,z');
  });
  it('joins several cookies with "; ", encodes names and ignores other locations', () => {
    const params: ParamSpec[] = [
      { name: 'a', in: 'cookie' },
      { name: 'b c', in: 'cookie' },
      { name: 'gone', in: 'cookie' },
      { name: 'q', in: 'query' }
    ];
    expect(cookieHeader(params, { a: 1, 'b c': true, q: 'x' })).toBe('a=1; b%20c=true');
  });
  it.each([undefined, null, []])('returns undefined when %j is the only value', (value) => {
    expect(c(value)).toBeUndefined();
    expect(cookieHeader([], {})).toBeUndefined();
  });
});

describe('content parameters', () => {
  const json = 'application/json';
  it.each([
    [{ in: 'query', contentType: json }, { a: 1, b: [1, 'x y'] }, '?filter=%7B%22a%22%3A1%2C%22b%22%3A%5B1%2C%22x%20y%22%5D%7D'],
    [{ in: 'query', contentType: json }, 'x', '?filter=%22x%22'],
    [{ in: 'query', contentType: json }, false, '?filter=false'],
    [{ in: 'query', contentType: 'application/vnd.api+json; charset=utf-8' }, [1, 2], '?filter=%5B1%2C2%5D'],
    [{ in: 'query', contentType: json, allowReserved: true }, { p: 'a/b' }, '?filter=%7B%22p%22%3A%22a%2Fb%22%7D'],
    [{ in: 'query', contentType: json, style: 'deepObject', explode: true }, { a: 1 }, '?filter=%7B%22a%22%3A1%7D'],
    [{ in: 'query', contentType: 'text/plain' }, 'a b', '?filter=a%20b'],
    [{ in: 'query', contentType: json }, null, '']
  ] as Array<[Omit<ParamSpec, 'name'>, unknown, string]>)('%o with %j → %s', (spec, value, want) => {
    expect(buildQuery([{ name: 'filter', ...spec }], { filter: value })).toBe(want);
  });
  it('is one encoded segment in a path, raw text in a header and encoded in a cookie', () => {
    const value = { a: '../b' };
    expect(expandPath('/f/{f}', [{ name: 'f', in: 'path', contentType: json }], { f: value })).toBe('/f/%7B%22a%22%3A%22..%2Fb%22%7D');
    expect(headerValue({ name: 'f', in: 'header', contentType: json }, value)).toBe('{"a":"../b"}');
    expect(cookieHeader([{ name: 'f', in: 'cookie', contentType: json }], { f: value })).toBe('f=%7B%22a%22%3A%22..%2Fb%22%7D');
  });
  it('rejects objects for non-JSON media types and unsafe JSON in headers', () => {
    expect(() => buildQuery([{ name: 'f', in: 'query', contentType: 'text/plain' }], { f: { a: 1 } })).toThrow(
      'query parameter "f": an object or array cannot be sent as text/plain'
    );
    expect(() => headerValue({ name: 'f', in: 'header', contentType: json }, { a: 'ü日' })).toThrow('U+65E5');
  });
});
