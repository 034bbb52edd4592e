import { stringify } from 'yaml';
import { descriptorBytes, tokensOfBytes } from '../../lower/tokens.js';
import { listAll, type Target } from './target.js';

type Obj = Record<string, unknown>;

/** The lists of a snapshot and the key that names each entry in them. */
export const SECTIONS = [
  ['tools', 'tools/list', 'name'],
  ['resources', 'resources/list', 'uri'],
  ['resourceTemplates', 'resources/templates/list', 'uriTemplate'],
  ['prompts', 'prompts/list', 'name']
] as const;

export type Section = (typeof SECTIONS)[number][0];
export type Surface = Readonly<Record<Section, readonly Obj[]>>;

/** What a model sees of the server: every list, each entry as the client receives it plus its approximate token cost. */
export async function readSurface(target: Target): Promise<Surface> {
  const out: Partial<Record<Section, Obj[]>> = {};
  for (const [section, method, key] of SECTIONS) {
    const items = await listAll(target, method, section);
    // The token size first: it is what a reviewer looks at; the descriptor as sent follows, key by key.
    out[section] = items.map((d) => ({ [key]: d[key], tokens: tokensOfBytes(descriptorBytes(d)), ...d }));
  }
  return out as Surface;
}

/** The snapshot file: YAML, one entry per list item in list order, readable in a review and stable across runs. */
export function snapshotText(surface: Surface, server: string): string {
  const head =
    `# What models see of ${server}: written by \`mcp-gen test --update\`, checked by \`mcp-gen test\`.\n` +
    '# Commit it; a change to a description, schema or annotation then shows up in review and fails CI until accepted.\n';
  return head + stringify(surface, { lineWidth: 0, aliasDuplicateObjects: false });
}
