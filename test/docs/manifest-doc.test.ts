import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allKeys,
  extractGenerated,
  GENERATED_END,
  GENERATED_START,
  REGENERATE_COMMAND,
  renderManifestReference,
  replaceGenerated
} from './generate-manifest-doc.js';

const root = join(import.meta.dirname, '..', '..');
const docPath = join(root, 'docs', 'manifest.md');
const schema = JSON.parse(readFileSync(join(root, 'schema', 'manifest.schema.json'), 'utf8')) as Record<string, unknown>;
const update = process.env.UPDATE_DOCS === '1';

describe('docs/manifest.md', () => {
  it('has the reference generated from schema/manifest.schema.json', () => {
    const doc = readFileSync(docPath, 'utf8');
    const expected = renderManifestReference(schema);
    if (update) {
      writeFileSync(docPath, replaceGenerated(doc, expected));
      return;
    }
    const actual = extractGenerated(doc);
    expect(actual, `docs/manifest.md must contain a ${GENERATED_START} … ${GENERATED_END} section`).toBeDefined();
    expect(
      actual,
      `docs/manifest.md is out of date with schema/manifest.schema.json. Regenerate it (the prose ` +
        `around the markers is kept) with:\n  ${REGENERATE_COMMAND}\n`
    ).toBe(expected);
  });

  it('describes every key of the schema', () => {
    const undescribed = allKeys(schema)
      .filter((k) => k.description === '')
      .map((k) => `${k.def || '(top level)'}.${k.key}`);
    expect(
      undescribed,
      'these manifest keys have no description: add a "description" to schema/manifest.schema.json (or ' +
        'to fallbackDescriptions in test/docs/generate-manifest-doc.ts), then run ' +
        REGENERATE_COMMAND
    ).toEqual([]);
  });

  it('lists every top-level key and every $defs object', () => {
    const generated = renderManifestReference(schema);
    for (const key of Object.keys(schema.properties as object)) expect(generated).toContain(`| \`${key}\` |`);
    for (const [name, def] of Object.entries(schema.$defs as Record<string, Record<string, unknown>>)) {
      for (const key of Object.keys((def.properties as object | undefined) ?? {}))
        expect(generated, `${name}.${key}`).toContain(`| \`${key}\` |`);
    }
  });
});
