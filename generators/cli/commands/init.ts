import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { packageRoot } from '../../../runtime/package-root.js';
import { help, parse, UsageError } from '../args.js';
import { obj, type Obj } from '../../plain.js';

export const initHelp = `mcp-gen init [--dir D] [--openapi FILE | --database URL]

Writes a commented starter mcp-gen.yaml (with the schema comment editors use for completion).
Refuses to overwrite an existing manifest.

  --dir D          directory to write into (default: the current directory)
  --openapi FILE   start from an OpenAPI 3.0/3.1 document instead: one source whose operations become
                   tools, with its servers, security schemes and tags filled in
  --database URL   start from a database instead (sqlite:PATH, postgres://USER@HOST:PORT/DB,
                   mysql://USER@HOST:PORT/DB): its schema is read, and each table gets a list tool and a
                   get-by-key resource template; a password in the URL becomes a \${VAR} reference
`;

export function starterManifest(schemaPath: string): string {
  return `# yaml-language-server: $schema=${schemaPath}
# An mcp-gen manifest: declare tools, resources and prompts, then run
#   npx mcp-gen build && npx mcp-gen run          (stdio)
#   npx mcp-gen run --http                        (http://127.0.0.1:3000/mcp)
server:
  name: my-server
  version: 0.1.0
  instructions: Describe here what this server is for; clients may show it to the model.

tools:
  # A tool's backend is exactly one of: template, content, handler.
  - name: greet
    description: Greet someone by name.
    input:                      # JSON Schema of the arguments (type: object is implied)
      properties:
        name: { type: string, description: Who to greet }
      required: [name]
    template: "Hello, {{name}}!"  # Handlebars, rendered with the arguments

  # - name: slow_task
  #   description: Runs custom TypeScript code.
  #   handler: ./handlers/slow-task.ts   # default export, typed by .mcp-gen/types.d.ts

resources:
  # - name: readme
  #   uri: docs://readme
  #   file: ./README.md                  # read on every request
  # - name: pages
  #   uriTemplate: docs://pages/{page}
  #   directory: ./pages                 # {page} names a file inside ./pages

prompts:
  - name: summarize
    description: Summarize a text.
    arguments:
      - { name: text, description: The text to summarize, required: true }
    messages:
      - role: user
        text: "Summarize this in three bullet points:\\n{{text}}"
`;
}

/** A YAML string: plain when YAML would read it back as this same string, else JSON (a double-quoted YAML string). */
const scalar = (v: string): string =>
  /^[A-Za-z0-9_./(][\w ./(),'-]*$/.test(v) && !v.endsWith(' ') && !/^(true|false|yes|no|on|off|null|[-+.\d][\d._eE+-]*)$/i.test(v) ? v : JSON.stringify(v);
const envName = (...parts: string[]): string => parts.join('_').toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'API';

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

export async function openapiStarter(schema: string, file: string, dir: string): Promise<{ text: string; note?: string } | { error: string }> {
  // Loaded on use: plain `init` must not pay for the OpenAPI toolchain.
  const { loadSpec } = await import('../../kinds/openapi/load.js');
  const { operationsOf } = await import('../../kinds/openapi/operations.js');
  const source = basename(file, extname(file)).replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64) || 'api';
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
    : [`    # The document's server is ${url ? `relative (${url})` : 'not given'}: set the absolute URL of the API.`, `    # baseUrl: \${${urlVar}:-https://api.example.com${url.startsWith('/') ? url : ''}}`];

  const schemes = Object.entries(obj(obj(doc.components).securitySchemes));
  const auth = schemes.length === 0
    ? ['    # auth: the document declares no securitySchemes.']
    : ['    auth:                       # credentials by security scheme, read from the environment at call time', ...schemes.map(([name, s]) => {
        const variable = name.toLowerCase().startsWith(`${source.toLowerCase()}_`) ? envName(name) : envName(source, name);
        // A client-credentials flow lets mcp-gen fetch (and renew) the token itself: ask for the client instead.
        if (obj(obj(s).flows).clientCredentials !== undefined) {
          return [`      ${scalar(name)}:   # oauth2 client credentials: mcp-gen fetches and renews the token`, `        clientId: \${${variable}_CLIENT_ID}`, `        clientSecret: \${${variable}_CLIENT_SECRET}`].join('\n');
        }
        return `      ${scalar(name)}: \${${variable}}   # ${schemeHint(obj(s))}`;
      })];

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
  const summary = first && typeof raw(first).summary === 'string' ? String(raw(first).summary).split('\n')[0]! : 'Describe what this tool does.';

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
    ...(large ? [`    # mode: dynamic              # ${ops.length} operations: serve them through three tools (search, describe, call) instead of one each`] : []),
    ...auth,
    `    # ${ops.length} operation(s) by tag:`,
    ...(tags.length > 0 ? tags : ['    #   (none)']),
    ...(deprecated > 0 ? [`    # ${deprecated} of them deprecated: left out unless overridden under tools:`] : []),
    '    # Only some of them: any tag, operationId, path glob (/pets/*) or method listed here selects one.',
    counts.size > 0 ? `    # include: { tags: [${[...counts.keys()].map(scalar).join(', ')}] }` : `    # include: { operations: [${scalar(first?.operationId ?? 'operationId')}] }`,
    '    # exclude: { operations: [], methods: [delete] }',
    '',
    'tools:',
    '  # Override one generated tool (its name, title, description, annotations): operation: <source>.<operationId>',
    ...(first ? [`  # - operation: ${scalar(`${source}.${first.operationId}`)}`, `  #   name: ${scalar(first.operationId.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase())}`, `  #   description: ${scalar(summary)}`] : []),
    ''
  ].join('\n');
  if (!large) return { text };
  return { text, note: `${ops.length} operations: one tool each makes a long tool list; consider mode: dynamic on source "${source}" (three tools), include:, or server.tokenBudget (both commented in the manifest; docs/openapi.md)` };
}

export async function initCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { dir: { type: 'string' }, openapi: { type: 'string' }, database: { type: 'string' } });
  if (values.help) return help(initHelp);
  if (values.openapi !== undefined && values.database !== undefined) throw new UsageError('--openapi and --database cannot be combined');
  const dir = String(values.dir ?? '.');
  const target = join(dir, 'mcp-gen.yaml');
  if (existsSync(target)) {
    process.stderr.write(`${target} already exists; not overwriting it (delete it first, or use --dir)\n`);
    return 1;
  }
  const local = join(dir, 'node_modules', 'mcp-gen', 'schema', 'manifest.schema.json');
  const schema = existsSync(local) ? './node_modules/mcp-gen/schema/manifest.schema.json' : relative(dir, join(packageRoot(), 'schema', 'manifest.schema.json'));
  let text = starterManifest(schema);
  const notes: string[] = [];
  if (typeof values.openapi === 'string') {
    const result = await openapiStarter(schema, values.openapi, dir);
    if ('error' in result) {
      process.stderr.write(`${values.openapi}: ${result.error}\n`);
      return 1;
    }
    text = result.text;
    if (result.note) notes.push(result.note);
  }
  if (typeof values.database === 'string') {
    // Loaded on use, like the OpenAPI toolchain: knex and the drivers only for --database.
    const { databaseStarter } = await import('./init-database/index.js');
    const result = await databaseStarter(schema, values.database, dir);
    if ('error' in result) {
      // The URL itself may hold a password: never echoed.
      process.stderr.write(`--database: ${result.error}\n`);
      return 1;
    }
    text = result.text;
    notes.push(`read ${result.tables} table(s) and view(s) of ${result.target.display}`);
    for (const e of result.target.env) notes.push(`the manifest reads ${e.name} from the environment: ${e.meaning}`);
  }
  await mkdir(dir, { recursive: true });
  await writeFile(target, text);
  // From where the user stands: the manifest's path relative to the working directory.
  const manifest = relative(process.cwd(), resolve(target));
  const m = manifest === 'mcp-gen.yaml' ? '' : ` -m ${manifest}`;
  process.stderr.write(`${notes.map((n) => `${n}\n`).join('')}wrote ${target}\nnext: npx mcp-gen build${m} && npx mcp-gen run${m} --http\n`);
  return 0;
}
