/**
 * Secrets (docs/security.md#secrets): `${file:PATH}` references and `enc:v1:` values (AES-256-GCM) stay
 * references in the artifact, are resolved at start (a wrong key names the manifest position), and are
 * redacted from logs, tool errors and `mcp-gen list`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { build } from '../../generators/build.js';
import { secretCommand } from '../../generators/cli/commands/secret.js';
import { listCommand } from '../../generators/cli/commands/inspect.js';
import { loadArtifact, ArtifactError } from '../../runtime/artifact/load.js';
import { createLogger } from '../../runtime/log.js';
import { clearSecrets } from '../../runtime/redact.js';
import {
  decryptSecret,
  encryptSecret,
  generateKey,
  parseKey,
  redact,
  registerSecret,
  resolveSecretText,
  SecretError
} from '../../runtime/security/secrets/index.js';
import { buildToTemp } from '../helpers/artifact.js';
import { createCore } from '../../runtime/serve.js';

const temp = mkdtempSync(join(tmpdir(), 'mcpgen-secrets-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
afterEach(() => clearSecrets());

const key = generateKey();
const otherKey = generateKey();

describe('AES-256-GCM values', () => {
  it('round-trips with a random IV and refuses a wrong key or an altered value', () => {
    const k = parseKey(key);
    const a = encryptSecret('s3cret-value', k);
    expect(a).toMatch(/^enc:v1:[A-Za-z0-9_-]+$/);
    expect(encryptSecret('s3cret-value', k)).not.toBe(a);
    expect(decryptSecret(a, k)).toBe('s3cret-value');
    expect(() => decryptSecret(a, parseKey(otherKey))).toThrow('cannot decrypt: wrong MCPGEN_SECRET_KEY, or the value was altered');
    expect(() => decryptSecret(a.slice(0, -2) + (a.endsWith('A') ? 'BB' : 'AA'), k)).toThrow(SecretError);
    expect(() => decryptSecret('enc:v1:abcd', k)).toThrow('truncated');
    expect(() => decryptSecret('plain', k)).toThrow('not an encrypted value');
  });
  it.each([
    [undefined, 'is not set'],
    ['short', 'must be 32 bytes'],
    ['!!!', 'got neither'],
    ['a'.repeat(64), null],
    [Buffer.alloc(32, 1).toString('base64url'), null]
  ])('key %j', (text, error) => {
    if (error) expect(() => parseKey(text)).toThrow(error);
    else expect(parseKey(text)).toHaveLength(32);
  });
});

describe('references and redaction', () => {
  it('reads ${file:…} trimmed, keeps $${ literal, and escapes ${ in the contents', () => {
    writeFileSync(join(temp, 'tok.txt'), '  tok-${X}-1 \n');
    const r = resolveSecretText('Bearer ${file:tok.txt} $${file:tok.txt}', { baseDir: temp, key: () => undefined });
    expect(r).toEqual({ value: 'Bearer tok-$${X}-1 $${file:tok.txt}', secrets: ['tok-${X}-1'] });
    expect(() => resolveSecretText('${file:nope.txt}', { baseDir: temp, key: () => undefined })).toThrow(
      'cannot read the secret file nope.txt (ENOENT)'
    );
    expect(resolveSecretText('enc:v1:xyz', { baseDir: temp, key: () => undefined }).value).toBe('enc:v1:xyz');
  });
  it('masks registered secrets, longest first, and ignores short values', () => {
    expect(redact('nothing registered')).toBe('nothing registered');
    registerSecret('abc');
    registerSecret('hunter2');
    registerSecret('hunter2-extended');
    expect(redact('a hunter2-extended and hunter2 and abc')).toBe('a [redacted] and [redacted] and abc');
    const lines: string[] = [];
    createLogger('debug', (l) => lines.push(l), 'pretty').warn('token hunter2 leaked');
    expect(lines).toEqual(['mcp-gen warn: token [redacted] leaked\n']);
  });
});

/** Every file of a directory, recursively, as text. */
function allText(dir: string): string {
  return readdirSync(dir)
    .map((f) => (statSync(join(dir, f)).isDirectory() ? allText(join(dir, f)) : readFileSync(join(dir, f), 'utf8')))
    .join('\n');
}

describe('a manifest with secrets', () => {
  const plain = 'pl41n-api-key-9f8e';
  const fileSecret = 'f1le-secret-7d6c';
  const envSecret = 'env-secret-5b4a';
  const project = join(temp, 'project');

  async function setup() {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'instructions.txt'), `${fileSecret}\n`);
    writeFileSync(
      join(project, 'leak.ts'),
      `declare const process: { env: Record<string, string> };\nexport default async () => { throw new ` +
        `Error('upstream said: ' + process.env.SECRETS_TEST_TOKEN); };\n`
    );
    const encrypted = encryptSecret(plain, parseKey(key));
    writeFileSync(
      join(project, 'mcp-gen.yaml'),
      `server: { name: secrets, version: "1", instructions: "\${file:instructions.txt}" }
sources:
  petstore:
    openapi: ${join(import.meta.dirname, '..', '..', 'specs', 'petstore.yaml')}
    baseUrl: http://127.0.0.1:9/api/v3
    auth:
      api_key: ${encrypted}
      petstore_auth: \${SECRETS_TEST_TOKEN}
    include: { operations: [getPetById] }
tools:
  - { name: leak, description: Fails with a credential in its message., handler: ./leak.ts }
`
    );
    return encrypted;
  }

  it('keeps references in the artifact, resolves them at start and redacts them', async () => {
    const encrypted = await setup();
    const env = { ...process.env, MCPGEN_SECRET_KEY: key, SECRETS_TEST_TOKEN: envSecret };
    const result = await build({ manifest: join(project, 'mcp-gen.yaml'), outDir: join(project, '.mcp-gen'), env });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { writeArtifact } = await import('../../generators/cli/commands/build.js');
    await writeArtifact(result);
    const out = join(project, '.mcp-gen');
    const text = allText(out);
    for (const secret of [plain, fileSecret, envSecret]) expect(text).not.toContain(secret);
    expect(text).toContain(encrypted);
    expect(result.artifact?.secrets?.map((s) => [s.path, s.at.pointer, s.at.line])).toEqual([
      ['/server/instructions', '/server/instructions', 1],
      ['/sources/petstore/auth/api_key', '/sources/petstore/auth/api_key', 7],
      ['/sources/petstore/auth/petstore_auth', '/sources/petstore/auth/petstore_auth', 8]
    ]);

    const loaded = await loadArtifact(out, env);
    expect(loaded.artifact.server.instructions).toBe(fileSecret);
    expect((loaded.artifact.sources.petstore as { auth: Record<string, string> }).auth).toEqual({
      api_key: plain,
      petstore_auth: '${SECRETS_TEST_TOKEN}'
    });

    // A handler error that carries a credential reaches neither the client nor the log in clear.
    const lines: string[] = [];
    process.env.SECRETS_TEST_TOKEN = envSecret;
    const core = await createCore(loaded, { log: createLogger('debug', (l) => lines.push(l)) });
    const channel = { legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, notify: () => {} };
    const reply = JSON.parse(
      String((await core.request(1, 'tools/call', { name: 'leak', arguments: {} }, channel, new AbortController().signal)).body)
    );
    delete process.env.SECRETS_TEST_TOKEN;
    expect(reply.result.content[0].text).toBe('Tool leak failed: upstream said: [redacted]');
    expect(lines.join('')).toContain('upstream said: [redacted]');
    expect(lines.join('')).not.toContain(envSecret);

    // mcp-gen list needs no key and prints no secret.
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (printed.push(String(c)), true));
    await listCommand(['-o', out, '--json']);
    await listCommand(['-o', out]);
    spy.mockRestore();
    for (const secret of [plain, fileSecret, envSecret]) expect(printed.join('')).not.toContain(secret);
    expect(printed.join('')).toContain('getPetById');
  });

  it('a wrong or missing key at start names the manifest position', async () => {
    const out = join(project, '.mcp-gen');
    await expect(loadArtifact(out, { MCPGEN_SECRET_KEY: otherKey })).rejects.toThrow(
      /mcp-gen\.yaml:7:\d+ \/sources\/petstore\/auth\/api_key: cannot decrypt: wrong MCPGEN_SECRET_KEY/
    );
    await expect(loadArtifact(out, {})).rejects.toBeInstanceOf(ArtifactError);
    await expect(loadArtifact(out, {})).rejects.toThrow('/sources/petstore/auth/api_key: MCPGEN_SECRET_KEY is not set');
    rmSync(join(project, 'instructions.txt'));
    await expect(loadArtifact(out, { MCPGEN_SECRET_KEY: key })).rejects.toThrow(
      /mcp-gen\.yaml:1:\d+ \/server\/instructions: cannot read the secret file instructions\.txt \(ENOENT\)/
    );
  });

  it('build: a wrong key is an error, a missing file a warning, a secret that would land in the artifact an error', async () => {
    const dir = join(temp, 'build');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'desc.txt'), 'a description that is secret\n');
    const encrypted = encryptSecret('zzzz-plain', parseKey(key));
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: b, version: "1", title: "\${file:missing.txt}", instructions: ${encrypted} }
tools:
  - { name: t, description: "\${file:desc.txt}", template: hi }
`
    );
    const wrong = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: { MCPGEN_SECRET_KEY: otherKey } });
    expect(wrong.diagnostics.map((d) => [d.code, d.severity, d.pointer])).toEqual(
      expect.arrayContaining([
        ['MCPGEN_SECRET', 'warning', '/server/title'],
        ['MCPGEN_SECRET', 'error', '/server/instructions']
      ])
    );
    const leaking = await build({ manifest: join(dir, 'mcp-gen.yaml'), env: { MCPGEN_SECRET_KEY: key } });
    expect(leaking.files.size).toBe(0);
    expect(leaking.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.pointer, d.message])).toEqual([
      [
        'MCPGEN_SECRET_IN_ARTIFACT',
        '/tools/0/description',
        'the secret at /tools/0/description would be written into the artifact (artifact.json) in clear'
      ]
    ]);
    writeFileSync(
      join(dir, 'mcp-gen.yaml'),
      `server: { name: b, version: "1", instructions: ${encrypted} }\ntools:\n  - { name: t, description: d, template: hi }\n`
    );
    expect(allText(await buildToTemp(join(dir, 'mcp-gen.yaml')))).not.toContain('zzzz-plain');
  });
});

describe('mcp-gen secret', () => {
  async function run(args: string[], input = '', env: NodeJS.ProcessEnv = { MCPGEN_SECRET_KEY: key }) {
    const out: string[] = [];
    const err: string[] = [];
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
    try {
      const code = await secretCommand(args, { stdin: Readable.from([Buffer.from(input)]), env });
      return { code, out: out.join(''), err: err.join('') };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  }
  it('keygen, encrypt, decrypt', async () => {
    const generated = (await run(['keygen'])).out.trim();
    expect(parseKey(generated)).toHaveLength(32);
    const enc = await run(['encrypt'], 'my value\n');
    expect(enc.code).toBe(0);
    expect(enc.out).toMatch(/^enc:v1:\S+\n$/);
    expect((await run(['decrypt'], enc.out)).out).toBe('my value\n');
    expect(await run(['decrypt'], enc.out, { MCPGEN_SECRET_KEY: otherKey })).toMatchObject({
      code: 1,
      err: 'mcp-gen: cannot decrypt: wrong MCPGEN_SECRET_KEY, or the value was altered\n'
    });
    expect(await run(['encrypt'], 'x', {})).toMatchObject({ code: 1, err: expect.stringContaining('MCPGEN_SECRET_KEY is not set') });
  });
  it('usage errors', async () => {
    await expect(run(['encrypt'], '')).rejects.toThrow('nothing to encrypt');
    await expect(run(['rotate'])).rejects.toThrow('unknown secret subcommand "rotate"');
    await expect(run([])).rejects.toThrow('secret needs a subcommand');
    expect((await run(['--help'])).out).toContain('mcp-gen secret <encrypt | decrypt | keygen>');
  });
});
