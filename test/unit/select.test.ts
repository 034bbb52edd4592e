import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../generators/build.js';
import { writeArtifact } from '../../generators/cli/commands/build.js';
import { inProcessTarget, type Target } from '../../generators/cli/surface/target.js';
import { loadArtifact } from '../../runtime/artifact/load.js';
import { writeOpenApi } from '../helpers/openapi-doc.js';

/**
 * `select:` (issue 18, point 1): a JMESPath projection of a tool's result, checked at build against its
 * outputSchema (did-you-mean), with the outputSchema derived from it; `fields: true` lets the model pick fields.
 */
const tmp = mkdtempSync(join(tmpdir(), 'mcpgen-select-'));
let api: Server;
let apiUrl: string;
const repo = {
  total: 2,
  items: [
    { id: 1, name: 'alpha', owner: { login: 'ada' }, stars: 10 },
    { id: 2, name: 'beta', owner: { login: 'bob' }, stars: 3 }
  ]
};
const item = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    owner: { type: 'object', properties: { login: { type: 'string' } } },
    stars: { type: 'integer' }
  }
};

beforeAll(async () => {
  api = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(repo)));
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  writeOpenApi(join(tmp, 'api.json'), 'Repos', apiUrl, {
    components: { schemas: { Repo: item } },
    paths: {
      '/repos': {
        get: {
          operationId: 'listRepos',
          responses: {
            200: {
              description: 'ok',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { total: { type: 'integer' }, items: { type: 'array', items: { $ref: '#/components/schemas/Repo' } } }
                  }
                }
              }
            }
          }
        }
      }
    }
  });
});
afterAll(() => {
  api.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function builtWith(overrides: string) {
  const manifest = join(tmp, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    manifest,
    `server: { name: s, version: "1" }\nsources:\n  gh: { openapi: ./api.json, outputSchema: full }\ntools:\n${overrides}`
  );
  const outDir = join(tmp, `out-${Math.random().toString(36).slice(2)}`);
  const result = await build({ manifest, outDir, env: {} });
  return { result, diagnostics: result.diagnostics.map((d) => `${d.code} ${d.pointer}: ${d.message}`), outDir };
}

async function target(outDir: string): Promise<Target> {
  return inProcessTarget(await loadArtifact(outDir));
}

describe('select:', () => {
  it('trims the result, derives the outputSchema, and lets the model pick fields', async () => {
    const { result, diagnostics, outDir } = await builtWith(
      '  - operation: gh.listRepos\n    select: "items[*].{id: id, name: name, owner: owner.login}"\n    fields: true\n'
    );
    expect(diagnostics).toEqual([]);
    await writeArtifact(result);
    const tool = result.artifact!.tools[0]!;
    expect(tool.descriptor.outputSchema).toMatchObject({
      type: 'object',
      required: ['result'],
      properties: {
        result: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, owner: { type: 'string' } } } }
      }
    });
    expect((tool.descriptor.inputSchema as { properties: Record<string, unknown> }).properties.fields).toMatchObject({
      items: { enum: ['id', 'name', 'owner'] }
    });
    const t = await target(outDir);
    const all = await t.request('tools/call', { name: 'listRepos', arguments: {} });
    expect(all.structuredContent).toEqual({
      result: [
        { id: 1, name: 'alpha', owner: 'ada' },
        { id: 2, name: 'beta', owner: 'bob' }
      ]
    });
    expect(all.isError).toBeUndefined();
    const some = await t.request('tools/call', { name: 'listRepos', arguments: { fields: ['name'] } });
    expect(some.structuredContent).toEqual({ result: [{ name: 'alpha' }, { name: 'beta' }] });
    expect((some.content as { text: string }[])[0]!.text).toBe('[{"name":"alpha"},{"name":"beta"}]');
    const bad = await t.request('tools/call', { name: 'listRepos', arguments: { fields: ['stars'] } });
    expect(bad.isError).toBe(true);
    await t.close();
  });

  it('an object projection is the structured content itself', async () => {
    const { result, diagnostics, outDir } = await builtWith(
      '  - operation: gh.listRepos\n    select: "{count: total, first: items[0].name}"\n'
    );
    expect(diagnostics).toEqual([]);
    await writeArtifact(result);
    const t = await target(outDir);
    expect((await t.request('tools/call', { name: 'listRepos', arguments: {} })).structuredContent).toEqual({ count: 2, first: 'alpha' });
    await t.close();
  });

  const refused: [string, string, string][] = [
    ['a field the result does not have, with a did-you-mean', 'items[*].nmae', 'no field "nmae" at items[*] (did you mean "name"?)'],
    ['a field at the top', 'totl', 'no field "totl" at the top (did you mean "total"?)'],
    ['a nested field', 'items[*].owner.logn', 'no field "logn" at items[*].owner (did you mean "login"?)'],
    ['not JMESPath', 'items[*', 'is not a JMESPath expression']
  ];
  it.each(refused)('refuses %s', async (_label, expression, want) => {
    const { diagnostics } = await builtWith(`  - operation: gh.listRepos\n    select: ${JSON.stringify(expression)}\n`);
    expect(diagnostics).toEqual([expect.stringContaining(want)]);
    expect(diagnostics[0]).toMatch(/^MCPGEN_SELECT \/tools\/0\/select: select of tool "listRepos"/);
  });
});
