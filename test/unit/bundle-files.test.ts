import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_SCHEMAS, validateManifest } from '@anthropic-ai/mcpb';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundle, type BundleResult } from '../../generators/bundle/index.js';
import { CONTAINER_COMMAND, CONTAINER_PORT, NODE_IMAGE } from '../../generators/bundle/dockerfile.js';
import { MCPB_MANIFEST_VERSION } from '../../generators/bundle/mcpb.js';
import { SERVER_SCHEMA } from '../../generators/bundle/server-json.js';
import { deployVariables } from '../../generators/bundle/variables.js';
import { build } from '../../generators/build.js';
import { formatDiagnostic } from '../../generators/diagnostics/diagnostic.js';
import type { Artifact } from '../../runtime/artifact/ir.js';
import { goldenMismatch } from '../helpers/golden.js';
import { projectWith, removeProjects, templateAndHandler } from '../helpers/bundle-projects.js';

const root = join(import.meta.dirname, '..', '..');
const update = process.env.UPDATE_GOLDEN === '1';

/** A manifest with a credential (`${SHOP_DB}`), a variable with a default and one without. */
const withVariables = {
  'mcp-gen.yaml': `server: { name: vars-demo, version: 0.3.0 }
transport: { port: "\${PORT:-3000}", allowedHosts: ["\${PUBLIC_HOST}"] }
sources:
  shop: { database: "\${SHOP_DB}" }
tools:
  - { name: one, description: One row., source: shop, sql: SELECT 1 AS one }
`
};

/** What the build of withVariables reads (it checks every variable is set); its database is not contacted. */
const env = { ...process.env, SHOP_DB: 'postgres://u@127.0.0.1:5432/test', PUBLIC_HOST: 'mcp.example.com', MCPGEN_DB_CHECK: '0' };

function text(result: BundleResult, name: string): string {
  const content = result.files.get(name);
  if (content === undefined) throw new Error(`the bundle has no ${name}`);
  return typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
}

/** Dockerfile instructions, one per logical line (continuations joined), as [KEYWORD, arguments]. */
function instructions(dockerfile: string): [string, string][] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const space = line.indexOf(' ');
      return [line.slice(0, space).toUpperCase(), line.slice(space + 1).trim()];
    });
}

let demo: BundleResult;
beforeAll(async () => {
  demo = await bundle({ manifest: join(projectWith(templateAndHandler), 'mcp-gen.yaml') });
  if (demo.files.size === 0) throw new Error(demo.diagnostics.map(formatDiagnostic).join('\n'));
}, 120_000);

afterAll(removeProjects);

describe('mcp-gen bundle: the folder', () => {
  it('holds server.mjs, the sandbox worker, the artifact and the deployment files', () => {
    const names = [...demo.files.keys()].filter((n) => !n.startsWith('chunks/')).sort();
    expect(names).toEqual([
      '.dockerignore',
      '.mcp-gen/artifact.json',
      '.mcp-gen/handlers/mime_of.mjs',
      '.mcp-gen/lists.json',
      '.mcp-gen/templates.mjs',
      '.mcp-gen/types.d.ts',
      '.mcp-gen/validators.mjs',
      'Dockerfile',
      'manifest.json',
      'package.json',
      'server.json',
      'server.mjs',
      'workers/entry.js'
    ]);
  });

  it('serves the artifact from the bundle folder: its manifest folder is the folder itself', () => {
    expect(JSON.parse(text(demo, '.mcp-gen/artifact.json')).manifestDir).toBe('..');
  });

  it('compiles none of the build toolchain into server.mjs', () => {
    const toolchain = /node_modules\/(yaml|ajv|ajv-formats|ajv-draft-04|esbuild|typescript|@apidevtools|recheck)\//;
    expect(demo.inputs.length).toBeGreaterThan(100);
    expect(demo.inputs.filter((input) => toolchain.test(input))).toEqual([]);
    expect(demo.inputs.filter((input) => input.startsWith('generators/') && !input.startsWith('generators/cli/')).sort()).toEqual([]);
  });

  it('package.json names the handler import, pinned', () => {
    const pkg = JSON.parse(text(demo, 'package.json'));
    expect(pkg).toMatchObject({ name: 'bundle-demo', version: '2.0.0', private: true, type: 'module', main: 'server.mjs' });
    expect(Object.keys(pkg.dependencies)).toEqual(['mime']);
    expect(pkg.dependencies.mime).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('the Dockerfile (checked statically: there is no Docker daemon here)', () => {
  const dockerfile = () => text(demo, 'Dockerfile');

  it('matches its golden file', () => {
    expect(goldenMismatch(join(root, 'test/golden/bundle/Dockerfile'), dockerfile(), 'Dockerfile', update)).toBeUndefined();
  });

  it('builds in two stages on one pinned Node image', () => {
    const from = instructions(dockerfile()).filter(([k]) => k === 'FROM');
    expect(from.map(([, a]) => a.split(' ')[0])).toEqual([NODE_IMAGE, NODE_IMAGE]);
    expect(NODE_IMAGE).toMatch(/^node:\d+\.\d+\.\d+-bookworm-slim$/);
    expect(from[0]![1]).toMatch(/ AS deps$/);
    expect(dockerfile()).toContain('COPY --from=deps');
  });

  it('runs as the unprivileged node user, exposes the port, checks /healthz and serves with the tested command', () => {
    const all = instructions(dockerfile());
    const last = (keyword: string) => all.filter(([k]) => k === keyword).at(-1)?.[1];
    expect(last('USER')).toBe('node');
    expect(last('EXPOSE')).toBe(String(CONTAINER_PORT));
    expect(last('HEALTHCHECK')).toContain(`http://127.0.0.1:${CONTAINER_PORT}/healthz`);
    // The e2e test (test/e2e/bundle-served.test.ts) starts CONTAINER_COMMAND; the image must run the same.
    expect(JSON.parse(last('CMD')!)).toEqual(CONTAINER_COMMAND);
    expect(CONTAINER_COMMAND).toEqual(['node', 'server.mjs', '--http', '--host', '0.0.0.0', '--port', String(CONTAINER_PORT)]);
    // USER comes after the COPYs of the final stage, so the files are copied as root and owned by node.
    const index = (k: string) => all.findLastIndex(([x]) => x === k);
    expect(index('USER')).toBeGreaterThan(index('COPY'));
  });

  it('.dockerignore leaves installed packages out of the build context', () => {
    expect(text(demo, '.dockerignore').split('\n')).toContain('node_modules');
  });
});

describe('manifest.json (MCP Bundle)', () => {
  /** The @anthropic-ai/mcpb validator (the one `mcpb validate` runs), on the manifest as written. */
  function mcpbValid(manifest: string): boolean {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgen-mcpb-'));
    writeFileSync(join(dir, 'manifest.json'), manifest);
    const quiet = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      return validateManifest(dir);
    } finally {
      quiet.mockRestore();
    }
  }

  it("passes @anthropic-ai/mcpb's validator", () => {
    const manifest = text(demo, 'manifest.json');
    expect(mcpbValid(manifest)).toBe(true);
    const parsed = MANIFEST_SCHEMAS[MCPB_MANIFEST_VERSION].safeParse(JSON.parse(manifest));
    expect(parsed.error?.issues).toBeUndefined();
  });

  it('fails the validator when broken (the check can fail)', () => {
    const broken = JSON.parse(text(demo, 'manifest.json'));
    delete broken.server;
    expect(mcpbValid(JSON.stringify(broken))).toBe(false);
  });

  it('starts server.mjs over stdio with Node and passes each ${VAR} from user_config, secrets as sensitive', async () => {
    const result = await bundle({ manifest: join(projectWith(withVariables), 'mcp-gen.yaml'), env });
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    const manifest = JSON.parse(text(result, 'manifest.json'));
    expect(mcpbValid(text(result, 'manifest.json'))).toBe(true);
    expect(manifest.server).toEqual({
      type: 'node',
      entry_point: 'server.mjs',
      mcp_config: {
        command: 'node',
        args: ['${__dirname}/server.mjs', '--stdio'],
        env: { PORT: '${user_config.PORT}', PUBLIC_HOST: '${user_config.PUBLIC_HOST}', SHOP_DB: '${user_config.SHOP_DB}' }
      }
    });
    expect(manifest.user_config.SHOP_DB).toMatchObject({ type: 'string', required: true, sensitive: true });
    expect(manifest.user_config.PORT).toMatchObject({ type: 'string', required: false, default: '3000' });
    expect(manifest.user_config.PUBLIC_HOST).toMatchObject({ type: 'string', required: true });
    expect(manifest.user_config.PUBLIC_HOST.sensitive).toBeUndefined();
    // Nothing resolved is written: the variables stay references everywhere.
    expect(text(result, '.mcp-gen/artifact.json')).toContain('${SHOP_DB}');
    expect(Object.keys(result.needs?.packages ?? {})).toEqual(['knex', 'pg']);
  }, 120_000);
});

describe('server.json (MCP Registry)', () => {
  const schema = JSON.parse(readFileSync(join(root, 'test/fixtures/registry/server.schema.json'), 'utf8'));
  // The registry's schema is draft-07 (Ajv's default); it uses OpenAPI's `discriminator` and `example`, which
  // are annotations here (strict: false).
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);

  it('names the schema it follows', () => {
    expect(schema.$id).toBe(SERVER_SCHEMA);
    expect(JSON.parse(text(demo, 'server.json')).$schema).toBe(SERVER_SCHEMA);
  });

  it("is valid against the registry's JSON Schema", () => {
    const serverJson = JSON.parse(text(demo, 'server.json'));
    expect(validate(serverJson) ? [] : validate.errors).toEqual([]);
    expect(serverJson).toMatchObject({ version: '2.0.0', title: 'Bundle demo' });
    expect(serverJson.packages[0]).toMatchObject({
      registryType: 'oci',
      transport: { type: 'streamable-http', url: `http://localhost:${CONTAINER_PORT}/mcp` }
    });
  });

  it('fails the schema when broken (the check can fail)', () => {
    const broken = { ...JSON.parse(text(demo, 'server.json')), name: 'no-namespace' };
    expect(validate(broken)).toBe(false);
  });
});

describe('deployVariables', () => {
  it('lists each ${VAR} once, with its default and whether a secret holds it', async () => {
    const dir = projectWith(withVariables);
    const result = await build({ manifest: join(dir, 'mcp-gen.yaml'), check: 'off', env });
    expect(deployVariables(result.artifact as Artifact).map(({ name, fallback, secret }) => ({ name, fallback, secret }))).toEqual([
      { name: 'PORT', fallback: '3000', secret: false },
      { name: 'PUBLIC_HOST', fallback: undefined, secret: false },
      { name: 'SHOP_DB', fallback: undefined, secret: true }
    ]);
  });
});
