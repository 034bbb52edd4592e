import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { packageRoot } from '../../../runtime/package-root.js';
import { help, parse } from '../args.js';

export const initHelp = `mcp-gen init [--dir D]

Writes a commented starter mcp-gen.yaml (with the schema comment editors use for completion).
Refuses to overwrite an existing manifest.

  --dir D   directory to write into (default: the current directory)
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

export async function initCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { dir: { type: 'string' } });
  if (values.help) return help(initHelp);
  const dir = String(values.dir ?? '.');
  const target = join(dir, 'mcp-gen.yaml');
  if (existsSync(target)) {
    process.stderr.write(`${target} already exists; not overwriting it (delete it first, or use --dir)\n`);
    return 1;
  }
  await mkdir(dir, { recursive: true });
  const local = join(dir, 'node_modules', 'mcp-gen', 'schema', 'manifest.schema.json');
  const schema = existsSync(local) ? './node_modules/mcp-gen/schema/manifest.schema.json' : relative(dir, join(packageRoot(), 'schema', 'manifest.schema.json'));
  await writeFile(target, starterManifest(schema));
  process.stderr.write(`wrote ${target}\nnext: npx mcp-gen build && npx mcp-gen run --http\n`);
  return 0;
}
