import { basename, extname, relative, resolve } from 'node:path';
import { loadSpec } from './load.js';
import { operationsOf } from './operations.js';
import { obj, type Obj } from '../../plain.js';

/** A YAML string: plain when YAML would read it back as this same string, else JSON (a double-quoted YAML string). */
const scalar = (v: string): string =>
  /^[A-Za-z0-9_./(][\w ./(),'-]*$/.test(v) && !v.endsWith(' ') && !/^(true|false|yes|no|on|off|null|[-+.\d][\d._eE+-]*)$/i.test(v)
    ? v
    : JSON.stringify(v);
const envName = (...parts: string[]): string =>
  parts
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '') || 'API';

/** What each scheme type expects under auth:, so the placeholder's meaning is clear. */
function schemeHint(s: Obj): string {
  if (s.type === 'apiKey') return `API key, sent in ${String(s.in)} ${String(s.name)}`;
  if (s.type === 'http' && String(s.scheme).toLowerCase() === 'basic') return 'user:password (or its base64), sent as Basic';
  if (s.type === 'http') return 'token, sent as Bearer';
  if (s.type === 'mutualTLS') return 'mutualTLS is not supported: leave this out';
  return `${String(s.type)}: an access token, sent as Bearer`;
}

/** A starter manifest for an OpenAPI document: its source, with servers, security schemes and tags filled in. */
/** Above this many operations, one tool each makes a list the model pays for on every turn: suggest mode: dynamic. */
const LARGE_API_OPERATIONS = 100;

export async function openapiStarter(
  schema: string,
  file: string,
  dir: string
): Promise<{ text: string; note?: string } | { error: string }> {
  const source =
    basename(file, extname(file))
      .replace(/[^A-Za-z0-9_-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 64) || 'api';
  const loaded = await loadSpec(source, resolve(file), process.cwd());
  if ('error' in loaded) return loaded;
  const doc = loaded.spec.doc;
  const ops = operationsOf(loaded.spec);
  const info = obj(doc.info);
  let location = relative(resolve(dir), resolve(file)).replace(/\\/g, '/');
  if (!location.startsWith('.') && !location.startsWith('/')) location = `./${location}`;

  const server = obj(Array.isArray(doc.servers) ? doc.servers[0] : undefined);
  let url = typeof server.url === 'string' ? server.url : '';
  for (const [k, v] of Object.entries(obj(server.variables))) url = url.replaceAll(`{${k}}`, String(obj(v).default ?? ''));
  const urlVar = envName(source, 'url');
  // A relative (or missing) server cannot be called as is: leave baseUrl for the user to fill in.
  const baseUrl = /^https?:\/\//i.test(url)
    ? [`    baseUrl: \${${urlVar}:-${url}}`]
    : [
        `    # The document's server is ${url ? `relative (${url})` : 'not given'}: set the absolute URL of the API.`,
        `    # baseUrl: \${${urlVar}:-https://api.example.com${url.startsWith('/') ? url : ''}}`
      ];

  const schemes = Object.entries(obj(obj(doc.components).securitySchemes));
  const auth =
    schemes.length === 0
      ? ['    # auth: the document declares no securitySchemes.']
      : [
          '    auth:                       # credentials by security scheme, read from the environment at call time',
          ...schemes.map(([name, s]) => {
            const variable = name.toLowerCase().startsWith(`${source.toLowerCase()}_`) ? envName(name) : envName(source, name);
            // A client-credentials flow lets mcp-gen fetch (and renew) the token itself: ask for the client instead.
            if (obj(obj(s).flows).clientCredentials !== undefined) {
              return [
                `      ${scalar(name)}:   # oauth2 client credentials: mcp-gen fetches and renews the token`,
                `        clientId: \${${variable}_CLIENT_ID}`,
                `        clientSecret: \${${variable}_CLIENT_SECRET}`
              ].join('\n');
            }
            return `      ${scalar(name)}: \${${variable}}   # ${schemeHint(obj(s))}`;
          })
        ];

  const counts = new Map<string, number>();
  for (const t of Array.isArray(doc.tags) ? doc.tags : []) if (typeof obj(t).name === 'string') counts.set(String(obj(t).name), 0);
  for (const op of ops) for (const t of op.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  const deprecated = ops.filter((op) => op.deprecated).length;
  const untagged = ops.filter((op) => op.tags.length === 0).length;
  const width = Math.max(untagged > 0 ? 8 : 0, ...[...counts.keys()].map((t) => t.length));
  const tags = [...counts].map(([t, n]) => `    #   ${t.padEnd(width)}  ${n} operation(s)`);
  if (untagged > 0) tags.push(`    #   ${'(no tag)'.padEnd(width)}  ${untagged} operation(s)`);
  // The first operation that has a real operationId (others get one made up from method and path).
  const raw = (op: { path: string; method: string }) => obj(obj(obj(doc.paths)[op.path])[op.method]);
  const first = ops.find((op) => typeof raw(op).operationId === 'string') ?? ops[0];
  const summary =
    first && typeof raw(first).summary === 'string' ? String(raw(first).summary).split('\n')[0]! : 'Describe what this tool does.';

  const large = ops.length > LARGE_API_OPERATIONS;
  const text = [
    `# yaml-language-server: $schema=${schema}`,
    `# An mcp-gen manifest for ${scalar(String(info.title ?? location))}: every operation of the document becomes a tool.`,
    '#   npx mcp-gen build && npx mcp-gen run --http        (npx mcp-gen list shows the tools and their size)',
    'server:',
    `  name: ${scalar(source)}`,
    '  version: 0.1.0',
    ...(large ? ['  # tokenBudget: 50000          # the build warns (MCPGEN_TOKEN_BUDGET) when the tool list is larger than this'] : []),
    '',
    'sources:',
    `  ${source}:`,
    `    openapi: ${scalar(location)}`,
    ...baseUrl,
    ...(large
      ? [
          `    # mode: tools                # ${ops.length} operations: the default (auto) serves them through three ` +
            `tools (search, describe, call) when one each would not fit server.tokenBudget; tools lists every one`
        ]
      : []),
    ...auth,
    `    # ${ops.length} operation(s) by tag:`,
    ...(tags.length > 0 ? tags : ['    #   (none)']),
    ...(deprecated > 0 ? [`    # ${deprecated} of them deprecated: left out unless overridden under tools:`] : []),
    '    # Only some of them: any tag, operationId, path glob (/pets/*) or method listed here selects one.',
    counts.size > 0
      ? `    # include: { tags: [${[...counts.keys()].map(scalar).join(', ')}] }`
      : `    # include: { operations: [${scalar(first?.operationId ?? 'operationId')}] }`,
    '    # exclude: { operations: [], methods: [delete] }',
    '',
    'tools:',
    '  # Override one generated tool (its name, title, description, annotations): operation: <source>.<operationId>',
    ...(first
      ? [
          `  # - operation: ${scalar(`${source}.${first.operationId}`)}`,
          `  #   name: ${scalar(first.operationId.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase())}`,
          `  #   description: ${scalar(summary)}`
        ]
      : []),
    ''
  ].join('\n');
  if (!large) return { text };
  return {
    text,
    note:
      `${ops.length} operations: one tool each may not fit server.tokenBudget; then source "${source}" is served ` +
      `through three tools (search, describe, call: mode auto, the default), unless include: selects fewer ` +
      `(commented in the manifest; docs/openapi.md)`
  };
}
