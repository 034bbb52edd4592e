/**
 * Generates malformed and mutated JSON-RPC messages from valid ones, deterministically, and says which answer
 * each deserves (the oracle follows JSON-RPC 2.0, independently of the server's own message classifier).
 */
import { tooDeep } from '../../runtime/transports/limits.js';
import type { Random } from './hostile.js';

const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };

/** Valid messages for the quickstart example; `modern` adds the 2026-07-28 `_meta`. */
export function corpus(modern: boolean): Record<string, unknown>[] {
  const p = (params: Record<string, unknown> = {}) => (modern ? { ...params, _meta: meta } : params);
  return [
    { jsonrpc: '2.0', id: 1, method: 'ping' },
    { jsonrpc: '2.0', id: 2, method: 'tools/list', params: p() },
    { jsonrpc: '2.0', id: 3, method: 'tools/call', params: p({ name: 'greet', arguments: { name: 'Ada', excited: true } }) },
    { jsonrpc: '2.0', id: 'r4', method: 'resources/read', params: p({ uri: 'docs://readme' }) },
    { jsonrpc: '2.0', id: 5, method: 'resources/read', params: p({ uri: 'docs://pages/intro.md' }) },
    { jsonrpc: '2.0', id: 6, method: 'prompts/get', params: p({ name: 'review', arguments: { code: 'x = 1', language: 'py' } }) },
    {
      jsonrpc: '2.0',
      id: 7,
      method: 'completion/complete',
      params: p({ ref: { type: 'ref/prompt', name: 'review' }, argument: { name: 'language', value: 't' } })
    },
    { jsonrpc: '2.0', id: 8, method: 'resources/templates/list', params: p() },
    { jsonrpc: '2.0', id: 9, method: 'prompts/list', params: p({ cursor: 'abc' }) },
    { jsonrpc: '2.0', id: 10, method: 'server/discover', params: p() },
    { jsonrpc: '2.0', id: 11, method: 'logging/setLevel', params: p({ level: 'debug' }) },
    { jsonrpc: '2.0', id: 12, method: 'resources/subscribe', params: p({ uri: 'docs://readme' }) },
    {
      jsonrpc: '2.0',
      id: 13,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } }
    },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 3 } },
    { jsonrpc: '2.0', id: 'mcpgen-1', result: {} }
  ];
}

const weird: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  -0,
  1e308,
  -1e308,
  2 ** 53 + 2,
  '',
  ' ',
  'x'.repeat(5000),
  '\u0000',
  '\ud800',
  '\udfff',
  '😀',
  '\u202e\u200b',
  '\ufeff',
  'ping',
  'tools/call',
  '__proto__',
  'constructor',
  [],
  {},
  [1, 2],
  { a: { b: {} } },
  JSON.parse('{"__proto__":{"polluted":true}}'),
  '../../etc/passwd',
  '%00',
  '${PATH}',
  '{{constructor}}'
];
const keys = ['jsonrpc', 'id', 'method', 'params', 'result', 'error', '__proto__', 'name', 'arguments', 'uri', '_meta'];
/** Printable characters plus a few troublemakers; no newlines (stdio frames by line). */
const chars = [
  '{',
  '}',
  '[',
  ']',
  '"',
  ',',
  ':',
  '\\',
  '0',
  '-',
  'e',
  'E',
  '.',
  ' ',
  '\t',
  'a',
  'é',
  '\u0000',
  '\u0001',
  '\u2028',
  '\ud83d',
  'n',
  't',
  'f'
];

function deep(r: Random): unknown {
  const depth = r.pick([8, 40, 63, 65, 100, 1000, 3000]);
  let v: unknown = r.pick(weird);
  for (let i = 0; i < depth; i++) v = r.chance(0.5) ? [v] : { k: v };
  return v;
}

function weirdValue(r: Random): unknown {
  return r.chance(0.1) ? deep(r) : r.pick(weird);
}

/** A structural mutation of a message (already a copy). */
function mutateValue(m: Record<string, unknown>, r: Random): unknown {
  const target =
    r.chance(0.6) && m.params && typeof m.params === 'object' && !Array.isArray(m.params) ? (m.params as Record<string, unknown>) : m;
  switch (r.int(7)) {
    case 0:
      target[r.pick(keys)] = weirdValue(r);
      return m;
    case 1:
      delete target[r.pick(Object.keys(target).length > 0 ? Object.keys(target) : keys)];
      return m;
    case 2:
      m.id = weirdValue(r);
      return m;
    case 3:
      m.method = weirdValue(r);
      return m;
    case 4:
      m.params = weirdValue(r);
      return m;
    case 5:
      if (target.arguments && typeof target.arguments === 'object')
        (target.arguments as Record<string, unknown>)[r.pick(['name', 'code', 'excited', 'x'])] = weirdValue(r);
      else target.arguments = weirdValue(r);
      return m;
    default:
      return r.chance(0.5) ? [m, { ...m, id: 99 }] : [m];
  }
}

/** A textual mutation of the serialised message. */
function mutateText(text: string, r: Random): string {
  const at = r.int(text.length + 1);
  switch (r.int(8)) {
    case 0:
      return text.slice(0, at) + r.pick(chars) + text.slice(at + 1);
    case 1:
      return text.slice(0, at);
    case 2:
      return text.slice(0, at) + r.pick(chars) + text.slice(at);
    case 3:
      // A duplicate key: JSON.parse keeps the last one.
      return text.startsWith('{') ? `{"${r.pick(keys)}":${JSON.stringify(weirdValue(r)) ?? 'null'},${text.slice(1)}` : text;
    case 4:
      return text.replace(/\d+/, r.pick(['1e400', '-1e400', '123456789012345678901234567890', '0x10', '01', '1.', 'NaN', 'Infinity']));
    case 5:
      return r.pick(['', ' ', 'null', 'true', '"str"', '42', '[]', '[[]]', '{}', '\ufeff' + text, text + text, `[${text},${text}]`]);
    case 6:
      return text.replace(/"(\w+)":/, (_m, k: string) => `"${r.pick([k.toUpperCase(), k + '\u0000', '\\u0069d', ' ' + k])}":`);
    default:
      return '['.repeat(r.pick([65, 1000, 100_000])) + text;
  }
}

export function mutate(seed: Record<string, unknown>, r: Random): string {
  let value: unknown = structuredClone(seed);
  const structural = r.int(3);
  for (let i = 0; i < structural; i++) value = Array.isArray(value) ? value : mutateValue(value as Record<string, unknown>, r);
  let text = JSON.stringify(value) ?? 'null';
  if (structural === 0 || r.chance(0.4)) text = mutateText(text, r);
  return text;
}

export type Expected =
  | { readonly reply: 'error'; readonly codes: readonly number[] }
  | { readonly reply: 'none' }
  | { readonly reply: 'any'; readonly id: unknown };

const validId = (id: unknown) => typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
/** Errors a well-formed request may get from this server (the request itself was wrong, or not for this era). */
export const requestErrorCodes = [-32600, -32601, -32602, -32002, -32020, -32021, -32022];

/** What a server must answer to `text`, by JSON-RPC 2.0 (batches are not part of MCP: invalid requests). */
export function expected(text: string, maxDepth = 64): Expected {
  if (tooDeep(text, maxDepth)) return { reply: 'error', codes: [-32600, -32700] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { reply: 'error', codes: [-32700] };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { reply: 'error', codes: [-32600] };
  const m = value as Record<string, unknown>;
  const paramsOk = m.params === undefined || (typeof m.params === 'object' && m.params !== null);
  if (m.jsonrpc !== '2.0') return { reply: 'error', codes: [-32600] };
  if (typeof m.method === 'string' && paramsOk && !('id' in m)) return { reply: 'none' };
  if (typeof m.method === 'string' && paramsOk && validId(m.id)) return { reply: 'any', id: m.id };
  if (typeof m.method !== 'string' && validId(m.id) && ('result' in m || 'error' in m)) return { reply: 'none' };
  return { reply: 'error', codes: [-32600] };
}

/** Problems with one JSON-RPC reply (empty when it is a valid result or an allowed error). */
export function judge(reply: unknown, want: Expected): string[] {
  if (want.reply === 'none') return reply === undefined ? [] : [`expected no reply, got ${JSON.stringify(reply).slice(0, 200)}`];
  if (!reply || typeof reply !== 'object' || Array.isArray(reply))
    return [`not a JSON-RPC object: ${String(JSON.stringify(reply)).slice(0, 200)}`];
  const m = reply as Record<string, any>;
  const problems: string[] = [];
  if (m.jsonrpc !== '2.0') problems.push('jsonrpc is not "2.0"');
  if (!('id' in m) || !(m.id === null || validId(m.id))) problems.push(`bad id ${JSON.stringify(m.id)}`);
  if ('result' in m === 'error' in m) problems.push('needs exactly one of result and error');
  if ('error' in m && (!Number.isInteger(m.error?.code) || typeof m.error?.message !== 'string'))
    problems.push(`malformed error ${JSON.stringify(m.error).slice(0, 200)}`);
  if (problems.length > 0) return problems;
  if (want.reply === 'error') {
    if (!('error' in m)) return ['expected an error, got a result'];
    if (!want.codes.includes(m.error.code)) return [`expected code ${want.codes.join(' or ')}, got ${m.error.code} (${m.error.message})`];
    return [];
  }
  if (m.id !== want.id) return [`expected id ${JSON.stringify(want.id)}, got ${JSON.stringify(m.id)}`];
  if ('error' in m && !requestErrorCodes.includes(m.error.code)) return [`unexpected code ${m.error.code} (${m.error.message})`];
  return [];
}
