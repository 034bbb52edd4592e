/**
 * Renders generators/manifest-types.ts (TypeScript types of a manifest) from the composed manifest schema with
 * json-schema-to-typescript. test/unit/manifest-schema-composed.test.ts keeps the checked-in file current;
 * `npm run schema` (UPDATE_SCHEMA=1) rewrites it and schema/manifest.schema.json.
 */

type Node = Record<string, unknown>;

export const REGENERATE_SCHEMA = 'npm run schema';

/** Named types for the parts of a manifest code reads, besides the ones named after $defs. */
const aliases = `
/** A tool entry (\`tools:\`). */
export type ToolEntry = Tool;
/** A resource or resource template entry (\`resources:\`). */
export type ResourceEntry = Resource;
/** A prompt entry (\`prompts:\`). */
export type PromptEntry = Prompt;
/** One \`sources.NAME\`. */
export type Source = NonNullable<Manifest['sources']>[string];
`;

export async function renderManifestTypes(schema: Node): Promise<string> {
  // Loaded here so the schema check runs even where the devDependency is missing.
  const { compile } = await import('json-schema-to-typescript');
  const body = await compile(typingView(schema), 'Manifest', {
    bannerComment: '',
    format: true,
    unreachableDefinitions: false,
    style: { printWidth: 120, singleQuote: true, trailingComma: 'none' }
  });
  const banner = [
    '/* eslint-disable */',
    '/**',
    ' * Generated from the composed manifest schema (generators/validate/compose-schema.ts) by test/helpers/manifest-types.ts.',
    ` * Do not edit by hand; run: ${REGENERATE_SCHEMA}`,
    ' */',
    ''
  ].join('\n');
  return banner + wrapComments(body) + aliases;
}

/** Doc comment lines wrapped at 120 characters (json-schema-to-typescript keeps each description on one line). */
function wrapComments(text: string): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const m = /^(\s*\* )(.*)$/.exec(line);
      if (!m || line.length <= 120) return [line];
      const [, lead, words] = m as unknown as [string, string, string];
      const out: string[] = [];
      let cur = '';
      for (const word of words.split(' ')) {
        if (cur && lead.length + cur.length + 1 + word.length > 120) {
          out.push(lead + cur);
          cur = word;
        } else cur = cur ? `${cur} ${word}` : word;
      }
      return [...out, lead + cur];
    })
    .join('\n');
}

/**
 * The schema with what only validates, not types, taken out: "exactly one of these keys" groups, if/then
 * conditions, `not`, dependentRequired. An if/then chain (the `sources` dispatch) becomes the union of its branches.
 * A `$ref` loses its sibling keywords so each definition gives one named type.
 */
function typingView(schema: Node): Node {
  const defs = (schema.$defs ?? {}) as Record<string, Node>;
  const isChoice = (n: Node): boolean => Array.isArray(n.oneOf ?? n.anyOf) && ((n.oneOf ?? n.anyOf) as Node[]).every(onlyRequired);
  const choiceRef = (n: Node): boolean => typeof n.$ref === 'string' && isChoice(defs[n.$ref.replace('#/$defs/', '')] ?? {});
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== 'object') return value;
    const n = value as Node;
    if (typeof n.$ref === 'string') return { $ref: n.$ref };
    if (n.if !== undefined && n.then !== undefined) return { anyOf: branches(n).map(walk) };
    const out: Node = {};
    for (const [key, v] of Object.entries(n)) {
      if (key === 'not' || key === 'dependentRequired') continue;
      if ((key === 'oneOf' || key === 'anyOf') && isChoice(n)) continue;
      if (key === 'allOf') {
        const kept = (v as Node[]).filter((m) => !choiceRef(m) && m.if === undefined);
        if (kept.length > 0) out.allOf = walk(kept);
        continue;
      }
      out[key] = walk(v);
    }
    return out;
  };
  const branches = (n: Node): Node[] => {
    const rest = n.else as Node | undefined;
    if (!rest || choiceRef(rest)) return [n.then as Node];
    return [n.then as Node, ...(rest.if !== undefined ? branches(rest) : [rest])];
  };
  const { $id: _id, title: _title, ...view } = walk(schema) as Node;
  return { title: 'Manifest', ...view };
}

function onlyRequired(n: Node): boolean {
  return Object.keys(n).every((k) => k === 'required');
}
