/** openapiStarter on small documents: untitled, untagged, without operationIds, odd names and server variables. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openapiStarter } from '../../generators/kinds/openapi/starter.js';

const root = mkdtempSync(join(tmpdir(), 'mcpgen-init2-'));
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
    expect(text).toContain('    # The document\'s server is not given: set the absolute URL of the API.\n    # baseUrl: ${EMPTY_URL:-https://api.example.com}');
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
    ['openIdConnect', { type: 'openIdConnect', openIdConnectUrl: 'https://id.test/.well-known/openid-configuration' }, '      key: ${SVC_KEY}   # openIdConnect: an access token, sent as Bearer']
  ])('a %s scheme gets a placeholder saying what it expects', async (_label, scheme, want) => {
    const text = await starter('svc.json', { openapi: '3.1.0', info: { title: 'S', version: '1' }, paths: {}, components: { securitySchemes: { key: scheme } } });
    expect(text).toContain(want);
  });
});
