import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../generators/build.js';

/**
 * Every document of @readme/oas-examples (2.0, 3.0 and 3.1 edge cases: circular refs, polymorphism, every
 * parameter style, webhooks, ...) built through the real pipeline (Swagger 2.0 converted to 3.0 first). A document
 * may fail only as one MCPGEN_OPENAPI_LOAD diagnostic with a message; whatever it emits must be a valid MCP tool.
 */
const corpus = dirname(createRequire(import.meta.url).resolve('@readme/oas-examples/package.json'));
const documents = (version: string): string[] =>
  readdirSync(join(corpus, version), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(json|ya?ml)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const tmp = mkdtempSync(join(tmpdir(), 'mcpgen-corpus-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** One tool per operation (`mode: tools`), so every operation is checked as the tool it becomes, whatever its size. */
async function buildDocument(file: string, extra = ', mode: tools'): Promise<BuildResult> {
  const dir = join(tmp, String(n++));
  const manifest = `${dir}.mcp-gen.yaml`;
  writeFileSync(
    manifest,
    `server: { name: corpus, version: "1" }\nsources:\n  api: { openapi: ${JSON.stringify(file)}, baseUrl: "http://127.0.0.1:9"${extra} }\n`
  );
  return build({ manifest, outDir: dir, env: {} });
}

/** Asserts that the build produced only valid tools, or failed only at loading; returns the tool count. */
function checkTools(result: BuildResult, ajv: Ajv2020): number {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors) {
    expect(d.code, d.message).toBe('MCPGEN_OPENAPI_LOAD');
    expect(d.message.length).toBeGreaterThan(10);
  }
  for (const d of result.diagnostics.filter((w) => w.code === 'MCPGEN_OPENAPI_OPERATION')) expect(d.message).toMatch(/^operation \S+ /);
  if (errors.length > 0) {
    expect(result.files.size).toBe(0);
    return 0;
  }
  const tools = result.artifact!.tools;
  const names = tools.map((t) => t.name);
  expect(new Set(names).size).toBe(names.length);
  for (const tool of tools) {
    const d = tool.descriptor as Record<string, unknown> & { inputSchema: Record<string, unknown>; outputSchema?: Record<string, unknown> };
    expect(d.name).toBe(tool.name);
    expect(tool.name).toMatch(NAME);
    expect(d.inputSchema.type).toBe('object');
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    expect(() => ajv.compile(d.inputSchema), `${tool.name} inputSchema`).not.toThrow();
    if (d.outputSchema) expect(() => ajv.compile(d.outputSchema!), `${tool.name} outputSchema`).not.toThrow();
  }
  return tools.length;
}

describe('OpenAPI corpus (@readme/oas-examples)', { timeout: 120_000 }, () => {
  for (const version of ['2.0', '3.0', '3.1']) {
    const files = documents(version);
    it(`every ${version} document builds (${files.length} documents) and every tool it emits is valid`, async () => {
      const ajv = new Ajv2020({ strict: false, logger: false });
      const summary: string[] = [];
      let tools = 0;
      let failed = 0;
      for (const file of files) {
        let result: BuildResult;
        try {
          result = await buildDocument(file);
        } catch (e) {
          throw new Error(`${relative(corpus, file)}: build threw ${(e as Error).stack}`);
        }
        const count = checkTools(result, ajv);
        const load = result.diagnostics.find((d) => d.code === 'MCPGEN_OPENAPI_LOAD');
        if (load) failed++;
        tools += count;
        const skipped = result.diagnostics.filter((d) => d.code === 'MCPGEN_OPENAPI_OPERATION').map((d) => d.message);
        // Only what did not become a tool is listed: a load error, or the operations skipped (with why).
        if (load) summary.push(`${relative(corpus, file)}: load error: ${load.message}`);
        else if (skipped.length > 0) summary.push(`${relative(corpus, file)}: ${count} tools; ${skipped.join('; ')}`);
      }
      console.log(
        `OpenAPI ${version}: ${files.length} documents, ${tools} tools, ${failed} load errors${summary.map((l) => `\n  ${l}`).join('')}`
      );
      expect(files.length).toBeGreaterThan(version === '2.0' ? 5 : 10);
      // The 2.0 documents are plain petstores: every operation converts to valid 3.0 and becomes a tool.
      if (version === '2.0') expect(summary).toEqual([]);
      expect(tools).toBeGreaterThan(files.length);
    });
  }
});

describe('OpenAPI refs that cannot be resolved spoil only the operations that reach them', () => {
  it(
    'a missing file, a missing pointer, a missing pointer in a readable file, a remote ref (never ' +
      'fetched); a readable file and a ref through a ref still work',
    async () => {
      const dir = mkdtempSync(join(tmp, 'refs-'));
      writeFileSync(join(dir, 'shared.yaml'), 'Name: { type: string, minLength: 1 }\nAlias: { $ref: "#/Name" }\n');
      writeFileSync(
        join(dir, 'api.yaml'),
        `openapi: 3.0.3
info: { title: refs, version: "1" }
paths:
  /ok:
    get:
      operationId: ok
      parameters: [{ name: q, in: query, schema: { $ref: "shared.yaml#/Name" } }]
      responses: { "200": { description: ok } }
  /through:
    post:
      operationId: through
      requestBody: { content: { application/json: { schema: { $ref: "#/components/schemas/Indirect" } } } }
      responses: { "200": { description: ok } }
  /missing-file:
    get:
      operationId: missingFile
      responses: { "200": { description: ok, content: { application/json: { examples: { a: { $ref: "#/components/examples/Stats" } } } } } }
  /missing-pointer:
    get:
      operationId: missingPointer
      parameters: [{ $ref: "#/components/parameters/Nope" }]
      responses: { "200": { description: ok } }
  /missing-external-pointer:
    get:
      operationId: missingExternalPointer
      parameters: [{ name: q, in: query, schema: { $ref: "shared.yaml#/Nope" } }]
      responses: { "200": { description: ok } }
  /remote:
    get:
      operationId: remote
      parameters: [{ name: q, in: query, schema: { $ref: "https://example.invalid/schemas.yaml#/Q" } }]
      responses: { "200": { description: ok } }
components:
  schemas:
    Direct: { type: object, properties: { n: { type: integer } } }
    Indirect: { $ref: "#/components/schemas/Direct" }
  examples:
    Stats: { value: { actions: { $ref: "no-such-file.yaml" } } }
`
      );
      const result = await buildDocument(join(dir, 'api.yaml'));
      const skipped = result.diagnostics.filter((d) => d.code === 'MCPGEN_OPENAPI_OPERATION').map((d) => d.message);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result.artifact!.tools.map((t) => t.name).sort()).toEqual(['ok', 'through']);
      expect(skipped).toHaveLength(4);
      expect(skipped.find((m) => m.startsWith('operation remote '))).toMatch(/remote \$refs are not fetched/);
      expect(skipped.find((m) => m.startsWith('operation missingFile '))).toMatch(/no-such-file\.yaml/);
      expect(skipped.find((m) => m.startsWith('operation missingPointer '))).toMatch(/#\/components\/parameters\/Nope/);
      expect(skipped.find((m) => m.startsWith('operation missingExternalPointer '))).toBeDefined();
      const ok = result.artifact!.tools.find((t) => t.name === 'ok')!.descriptor.inputSchema as { properties: Record<string, unknown> };
      expect(JSON.stringify(ok.properties.q)).toContain('minLength');
    }
  );
  it('an operation that breaks the OpenAPI meta-schema is skipped; a break outside operations fails the document', async () => {
    const dir = mkdtempSync(join(tmp, 'bad-'));
    writeFileSync(
      join(dir, 'op.yaml'),
      'openapi: 3.0.3\ninfo: { title: x, version: "1" }\npaths:\n  /a: { get: { operationId: bad, ' +
        'responses: 7 } }\n  /b: { get: { operationId: good, responses: { "200": { description: ok } } } ' +
        '}\n'
    );
    const op = await buildDocument(join(dir, 'op.yaml'));
    expect(op.artifact!.tools.map((t) => t.name)).toEqual(['good']);
    expect(op.diagnostics.find((d) => d.code === 'MCPGEN_OPENAPI_OPERATION')!.message).toMatch(
      /^operation bad .*not valid OpenAPI: #\/paths\/~1a\/get\/responses/
    );
    writeFileSync(
      join(dir, 'doc.yaml'),
      'openapi: 3.0.3\ninfo: { version: "1" }\npaths: { /b: { get: { responses: { "200": { description: ok } } } } }\n'
    );
    const doc = await buildDocument(join(dir, 'doc.yaml'));
    expect(doc.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['MCPGEN_OPENAPI_LOAD']);
    expect(doc.diagnostics[0]!.message).toMatch(/title/);
  });
});
