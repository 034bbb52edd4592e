import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { packageRoot } from '../../../runtime/package-root.js';
import { help, parse, UsageError } from '../args.js';
import type { SourceKind } from '../../kinds/kind.js';

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

type Starter = NonNullable<SourceKind['starter']>;

/**
 * `--KEY VALUE` starts from a source: KEY is the source key of a kind that offers a starter (`--openapi FILE`,
 * `--database URL`). The registry is loaded only when a flag other than --dir asks for one: plain `init` must not
 * pay for the kinds' toolchains (OpenAPI parser, database drivers).
 */
async function startersFor(argv: readonly string[]): Promise<Map<string, Starter>> {
  const other = argv.some((a) => a.startsWith('--') && a.split('=')[0] !== '--dir');
  if (!other) return new Map();
  const { sourceKinds } = await import('../../kinds/registry.js');
  return new Map(sourceKinds().flatMap(({ source }) => (source.starter ? [[source.key, source.starter.bind(source)] as const] : [])));
}

export async function initCommand(argv: string[]): Promise<number> {
  const starters = await startersFor(argv);
  const starterFlags = [...starters.keys()];
  const starterOptions = Object.fromEntries(starterFlags.map((f) => [f, { type: 'string' }] as const));
  const { values } = parse(argv, { dir: { type: 'string' }, ...starterOptions });
  if (values.help) return help(initHelp);
  const chosen = starterFlags.filter((flag) => typeof values[flag] === 'string');
  if (chosen.length > 1) throw new UsageError(`${chosen.map((f) => `--${f}`).join(' and ')} cannot be combined`);
  const dir = String(values.dir ?? '.');
  const target = join(dir, 'mcp-gen.yaml');
  if (existsSync(target)) {
    process.stderr.write(`${target} already exists; not overwriting it (delete it first, or use --dir)\n`);
    return 1;
  }
  const local = join(dir, 'node_modules', 'mcp-gen', 'schema', 'manifest.schema.json');
  const schema = existsSync(local)
    ? './node_modules/mcp-gen/schema/manifest.schema.json'
    : relative(dir, join(packageRoot(), 'schema', 'manifest.schema.json'));
  let text = starterManifest(schema);
  const notes: string[] = [];
  const flag = chosen[0];
  if (flag !== undefined) {
    const result = await starters.get(flag)!(schema, String(values[flag]), dir);
    if ('error' in result) {
      process.stderr.write(`${result.error}\n`);
      return 1;
    }
    text = result.text;
    notes.push(...result.notes);
  }
  await mkdir(dir, { recursive: true });
  await writeFile(target, text);
  // From where the user stands: the manifest's path relative to the working directory.
  const manifest = relative(process.cwd(), resolve(target));
  const m = manifest === 'mcp-gen.yaml' ? '' : ` -m ${manifest}`;
  process.stderr.write(
    `${notes.map((n) => `${n}\n`).join('')}wrote ${target}\nnext: npx mcp-gen build${m} && npx mcp-gen run${m} --http\n`
  );
  return 0;
}
