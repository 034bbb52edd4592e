/**
 * `mcp-gen init --openapi FILE`: the starter manifest it writes for a document builds as written, and so
 * do its commented examples once uncommented; openapiStarter on small documents (untitled, untagged, without
 * operationIds, odd names and server variables).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { build } from '../../generators/build.js';
import { initCommand } from '../../generators/cli/commands/init.js';
import { openapiStarter } from '../../generators/kinds/openapi/starter.js';
import { joined } from '../helpers/pattern.js';

const petstore = join(import.meta.dirname, '..', '..', 'specs', 'petstore.yaml');
const root = mkdtempSync(join(tmpdir(), 'mcpgen-init-openapi-'));
let stderr: string[] = [];

beforeEach(() => {
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Builds a manifest with an empty environment; returns its error codes and tool names. */
async function built(manifest: string) {
  const r = await build({ manifest, outDir: join(manifest, '..', '.mcp-gen'), env: {} });
  return {
    errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`),
    tools: r.artifact?.tools.map((t) => t.name) ?? []
  };
}

describe('init --openapi', () => {
  const dir = join(root, 'petstore');
  const manifest = join(dir, 'mcp-gen.yaml');

  it('writes a starter for the Petstore: source, servers, auth, tags, override example', async () => {
    expect(await initCommand(['--openapi', petstore, '--dir', dir])).toBe(0);
    const text = readFileSync(manifest, 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=.*manifest\.schema\.json\n/);
    // The path is relative to the manifest, so the project can move as a whole.
    expect(text).toMatch(/^ {4}openapi: (\.\.\/)+.*specs\/petstore\.yaml$/m);
    // The Petstore's server is relative (/api/v3): baseUrl is left for the user, commented.
    expect(text).toContain('    # baseUrl: ${PETSTORE_URL:-https://api.example.com/api/v3}');
    expect(text).toMatch(/^ {6}petstore_auth: \$\{PETSTORE_AUTH\} +# oauth2: an access token, sent as Bearer/m);
    expect(text).toMatch(/^ {6}api_key: \$\{PETSTORE_API_KEY\} +# API key, sent in header api_key$/m);
    expect(text).toContain('    # 19 operation(s) by tag:');
    expect(text).toMatch(/# {3}pet +8 operation\(s\)\n.*# {3}store +4 operation\(s\)\n.*# {3}user +7 operation\(s\)/);
    expect(text).toContain('    # include: { tags: [pet, store, user] }');
    expect(text).toContain('  # - operation: petstore.updatePet\n  #   name: update_pet\n  #   description: Update an existing pet\n');
    expect(stderr.join('')).toContain(`wrote ${manifest}`);
  });

  it('builds as written: every operation a tool, missing credentials only warnings', async () => {
    const r = await built(manifest);
    expect(r.errors).toEqual([]);
    expect(r.tools).toHaveLength(19);
    expect(r.tools).toEqual(expect.arrayContaining(['addPet', 'getInventory', 'loginUser']));
  });

  it('builds with its commented examples switched on', async () => {
    const on = join(root, 'petstore-on');
    mkdirSync(on);
    const text = readFileSync(manifest, 'utf8')
      .replace('# include:', 'include:')
      .replace(/^ {2}# (- operation:.*)\n {2}# (.*)\n {2}# (.*)$/m, '  $1\n  $2\n  $3');
    writeFileSync(join(on, 'mcp-gen.yaml'), text.replace(/openapi: \S+/, `openapi: ${JSON.stringify(petstore)}`));
    const r = await built(join(on, 'mcp-gen.yaml'));
    expect(r.errors).toEqual([]);
    expect(r.tools).toHaveLength(19);
    expect(r.tools).toContain('update_pet');
    expect(r.tools).not.toContain('updatePet');
  });

  it('refuses to overwrite an existing manifest', async () => {
    const before = readFileSync(manifest, 'utf8');
    expect(await initCommand(['--openapi', petstore, '--dir', dir])).toBe(1);
    expect(stderr.join('')).toContain('already exists');
    expect(readFileSync(manifest, 'utf8')).toBe(before);
  });
});

describe('init --openapi, other documents', () => {
  it('an absolute server becomes baseUrl; no security, untagged and deprecated operations are said so', async () => {
    mkdirSync(join(root, 'other', 'specs'), { recursive: true });
    const spec = join(root, 'other', 'specs', 'things api.yaml');
    writeFileSync(
      spec,
      [
        'openapi: 3.1.0',
        'info: { title: Things, version: "1" }',
        'servers: [{ url: "https://{region}.things.example/v2", variables: { region: { default: eu } } }]',
        'paths:',
        '  /things/{id}:',
        '    get:',
        '      summary: "Get a thing: by id"',
        '      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]',
        '      responses: { "200": { description: ok } }',
        '  /old: { get: { operationId: old, deprecated: true, tags: ["true"], responses: { "200": { description: ok } } } }',
        ''
      ].join('\n')
    );
    const dir = join(root, 'other', 'app');
    expect(await initCommand(['--openapi', spec, '--dir', dir])).toBe(0);
    const text = readFileSync(join(dir, 'mcp-gen.yaml'), 'utf8');
    expect(text).toContain('    openapi: ../specs/things api.yaml\n    baseUrl: ${THINGS_API_URL:-https://eu.things.example/v2}\n');
    expect(text).toContain('    # auth: the document declares no securitySchemes.');
    expect(text).toContain('    #   true      1 operation(s)\n    #   (no tag)  1 operation(s)\n');
    expect(text).toContain('    # 1 of them deprecated: left out unless overridden under tools:');
    // A tag YAML would read as a boolean is quoted where it would be parsed.
    expect(text).toContain('# include: { tags: ["true"] }');
    // The override example uses the only real operationId.
    expect(text).toContain('  # - operation: things_api.old\n');
    const r = await built(join(dir, 'mcp-gen.yaml'));
    expect(r.errors).toEqual([]);
    // No operationId: the name is made from method and path (see docs/openapi.md, Names).
    expect(r.tools).toEqual(['get__things_id']);
  });

  it('each kind of security scheme gets its placeholder; client credentials as an object', async () => {
    const spec = join(root, 'secure.yaml');
    writeFileSync(
      spec,
      [
        'openapi: 3.0.3',
        'info: { title: Secure, version: "1" }',
        'components:',
        '  securitySchemes:',
        '    oauth: { type: oauth2, flows: { clientCredentials: { tokenUrl: "https://auth.example/token", scopes: {} } } }',
        '    basic: { type: http, scheme: basic }',
        '    token: { type: http, scheme: bearer }',
        '    key: { type: apiKey, in: query, name: k }',
        'security: [{ oauth: [] }, { basic: [] }]',
        'paths:',
        '  /x: { get: { operationId: getX, summary: "Get X: the thing", responses: { "200": { description: ok } } } }',
        ''
      ].join('\n')
    );
    const dir = join(root, 'secure');
    expect(await initCommand(['--openapi', spec, '--dir', dir])).toBe(0);
    const text = readFileSync(join(dir, 'mcp-gen.yaml'), 'utf8');
    expect(text).toContain("    # The document's server is not given: set the absolute URL of the API.\n");
    expect(text).toMatch(
      joined(
        /^ {6}oauth: +# oauth2 client credentials.*/m,
        /\n {8}clientId: \$\{SECURE_OAUTH_CLIENT_ID\}/m,
        /\n {8}clientSecret: \$\{SECURE_OAUTH_CLIENT_SECRET\}$/m
      )
    );
    expect(text).toMatch(/^ {6}basic: \$\{SECURE_BASIC\} +# user:password .* Basic$/m);
    expect(text).toMatch(/^ {6}token: \$\{SECURE_TOKEN\} +# token, sent as Bearer$/m);
    expect(text).toMatch(/^ {6}key: \$\{SECURE_KEY\} +# API key, sent in query k$/m);
    // No tags: the include example selects by operationId; a summary with ": " is quoted.
    expect(text).toContain('    # include: { operations: [getX] }');
    expect(text).toContain('  #   description: "Get X: the thing"');
    const r = await built(join(dir, 'mcp-gen.yaml'));
    expect(r.errors).toEqual([]);
    expect(r.tools).toEqual(['getX']);
  });

  it('a document that does not load is reported, and nothing is written', async () => {
    const bad = join(root, 'bad.yaml');
    writeFileSync(bad, 'swagger: "2.0"\ninfo: { title: x }\npaths: {}\n');
    const dir = join(root, 'bad');
    expect(await initCommand(['--openapi', bad, '--dir', dir])).toBe(1);
    expect(stderr.join('')).toContain("not valid Swagger 2.0: #/info must have required property 'version'");
    expect(existsSync(join(dir, 'mcp-gen.yaml'))).toBe(false);
    expect(await initCommand(['--openapi', join(root, 'missing.yaml'), '--dir', dir])).toBe(1);
    expect(existsSync(dir)).toBe(false);
  });
});

const ok = { '200': { description: 'ok' } };

async function starter(name: string, doc: unknown): Promise<string> {
  const dir = mkdtempSync(join(root, 'p-'));
  mkdirSync(join(dir, 'specs'));
  const file = join(dir, 'specs', name);
  writeFileSync(file, JSON.stringify(doc));
  // The manifest directory holds the document's folder: the location is written ./-relative.
  const r = await openapiStarter('schema.json', file, dir);
  if ('error' in r) throw new Error(r.error);
  return r.text;
}

describe('openapiStarter', () => {
  it('a document with no operations: no tags, no override example', async () => {
    const text = await starter('empty.json', { openapi: '3.0.3', info: { title: 'Empty: nothing yet', version: '1' }, paths: {} });
    expect(text).toContain('# An mcp-gen manifest for "Empty: nothing yet": every operation');
    expect(text).toContain('    openapi: ./specs/empty.json\n');
    expect(text).toContain('    # 0 operation(s) by tag:\n    #   (none)\n');
    expect(text).toContain('    # include: { operations: [operationId] }');
    expect(text).toContain(
      "    # The document's server is not given: set the absolute URL of the API.\n    # baseUrl: ${EMPTY_URL:-https://api.example.com}"
    );
    expect(text).toContain('    # auth: the document declares no securitySchemes.');
    expect(text).not.toContain('# - operation:');
  });

  it('a file name with no usable characters becomes the source "api"', async () => {
    const text = await starter('+++.json', { openapi: '3.0.3', info: { title: 'T', version: '1' }, paths: {} });
    expect(text).toContain('server:\n  name: api\n');
    expect(text).toContain('sources:\n  api:\n');
  });

  it('untagged operations without operationIds: the first operation is the example, include lists it', async () => {
    const text = await starter('ops.json', {
      openapi: '3.0.3',
      info: { title: 'Ops', version: '1' },
      servers: [{ url: 'https://{region}.ops.test/{v}', variables: { region: { default: 'eu' }, v: { default: '' } } }],
      paths: { '/things': { get: { summary: 'List things\nmore', responses: ok }, post: { responses: ok } } }
    });
    expect(text).toContain('    baseUrl: ${OPS_URL:-https://eu.ops.test/}');
    expect(text).toContain('    #   (no tag)  2 operation(s)');
    expect(text).toMatch(/# include: \{ operations: \[\w+\] \}/);
    const example = /# - operation: ops\.(\w+)\n {2}# {3}name: (\w+)\n {2}# {3}description: (.*)\n/.exec(text);
    expect(example?.[3]).toBe('List things');
    expect(text).toContain(`# include: { operations: [${example?.[1]}] }`);
  });

  it.each([
    ['apiKey', { type: 'apiKey', in: 'header', name: 'X-Key' }, '      key: ${SVC_KEY}   # API key, sent in header X-Key'],
    ['basic', { type: 'http', scheme: 'Basic' }, '      key: ${SVC_KEY}   # user:password (or its base64), sent as Basic'],
    ['bearer', { type: 'http', scheme: 'bearer' }, '      key: ${SVC_KEY}   # token, sent as Bearer'],
    ['mutualTLS', { type: 'mutualTLS' }, '      key: ${SVC_KEY}   # mutualTLS is not supported: leave this out'],
    [
      'openIdConnect',
      { type: 'openIdConnect', openIdConnectUrl: 'https://id.test/.well-known/openid-configuration' },
      '      key: ${SVC_KEY}   # openIdConnect: an access token, sent as Bearer'
    ]
  ])('a %s scheme gets a placeholder saying what it expects', async (_label, scheme, want) => {
    const text = await starter('svc.json', {
      openapi: '3.1.0',
      info: { title: 'S', version: '1' },
      paths: {},
      components: { securitySchemes: { key: scheme } }
    });
    expect(text).toContain(want);
  });
});
