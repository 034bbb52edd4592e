import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root: projects made here resolve mcp-gen's packages as a user's project would its own. */
const root = join(import.meta.dirname, '..', '..');

const made: string[] = [];

/** Removes every project projectWith made (call it in afterAll). */
export function removeProjects(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A project folder under .cache/ (ignored by git) with these files; inside the repository so a handler's npm
 * imports resolve (and type-check) from node_modules, as in a real project.
 */
export function projectWith(files: Record<string, string>): string {
  mkdirSync(join(root, '.cache'), { recursive: true });
  const dir = mkdtempSync(join(root, '.cache', 'bundle-project-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** A manifest with a template tool and a handler tool that imports an npm package (mime). */
export const templateAndHandler = {
  'mcp-gen.yaml': `server: { name: bundle-demo, version: 2.0.0, title: Bundle demo }
transport: { logLevel: "\${DEMO_LOG_LEVEL:-info}" }
tools:
  - name: greet
    description: Greets someone.
    input: { properties: { name: { type: string } }, required: [name] }
    template: "Hello, {{name}}!"
  - name: mime_of
    description: The MIME type of a file name.
    input: { properties: { file: { type: string } }, required: [file] }
    handler: ./handlers/mime-of.ts
`,
  'handlers/mime-of.ts': `import mime from 'mime';
import type { Handlers } from '../.mcp-gen/types.js';

const mimeOf: Handlers['mime_of'] = async ({ file }) => ({ content: [{ type: 'text', text: mime.getType(file) ?? 'unknown' }] });
export default mimeOf;
`
};
