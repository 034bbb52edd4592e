/**
 * Renders the reference part of docs/manifest.md from schema/manifest.schema.json.
 *
 * The schema is the single source of truth: every key, its type, whether it is required, its default and
 * its description come from it. The few keys the schema leaves without a description get one from
 * `fallbackDescriptions` below (better: add a `description` to the schema, which wins).
 *
 * test/docs/manifest-doc.test.ts compares the section of docs/manifest.md between
 * `<!-- generated:start -->` and `<!-- generated:end -->` with `renderManifestReference(schema)`;
 * `UPDATE_DOCS=1 npx vitest run test/docs/manifest-doc.test.ts` rewrites it.
 */

export const GENERATED_START = '<!-- generated:start -->';
export const GENERATED_END = '<!-- generated:end -->';
export const REGENERATE_COMMAND = 'UPDATE_DOCS=1 npx vitest run test/docs/manifest-doc.test.ts';

type Schema = Record<string, unknown>;

interface Section {
  /** `$defs` name, or '' for the document root. */
  readonly def: string;
  readonly title: string;
  /** Where the object appears in a manifest, written before the schema's own description. */
  readonly intro: string;
}

/** Sections in reading order. A `$defs` object not listed here is appended at the end (so nothing is ever left out). */
const sections: readonly Section[] = [
  { def: '', title: 'Top level', intro: 'The manifest document itself.' },
  { def: 'server', title: 'server', intro: 'The `server:` key.' },
  { def: 'transport', title: 'transport', intro: 'The `transport:` key (optional).' },
  { def: 'tool', title: 'Tool', intro: 'Each entry of `tools:`.' },
  { def: 'jsonSchemaObject', title: 'Tool input schema', intro: "A tool's `input:`." },
  { def: 'toolAnnotations', title: 'Tool annotations', intro: "A tool's `annotations:`: hints for clients, passed through as written." },
  { def: 'contentItem', title: 'Content item', intro: "Each entry of a tool's `content:`, and a prompt message's `content:`." },
  {
    def: 'resource',
    title: 'Resource',
    intro: 'Each entry of `resources:` (a static resource with `uri`, or a resource template with `uriTemplate`).'
  },
  { def: 'prompt', title: 'Prompt', intro: 'Each entry of `prompts:`.' },
  { def: 'promptArgument', title: 'Prompt argument', intro: "Each entry of a prompt's `arguments:`." },
  { def: 'promptMessage', title: 'Prompt message', intro: "Each entry of a prompt's `messages:`." },
  { def: 'elicitation', title: 'Elicitation question', intro: "Each entry of a prompt's `elicit:`." },
  { def: 'icon', title: 'Icon', intro: 'Each entry of an `icons:` list (tools, resources, prompts).' },
  { def: 'name', title: 'Names', intro: 'Tool, resource, prompt and prompt argument names, and elicitation keys.' }
];

/**
 * Descriptions for keys the schema does not describe, as `def.key` ('' is the root; content item variants
 * use `contentItem[variant].key` or `contentItem.key`, where variant is the `type` value). The schema's own description always wins.
 */
export const fallbackDescriptions: Readonly<Record<string, string>> = {
  'icon.src': 'Icon URL or `data:` URI, passed to clients as written.',
  'icon.mimeType': 'MIME type of the icon, e.g. `image/png`.',
  'icon.sizes': 'Sizes the icon is available in, e.g. `["48x48"]` or `["any"]`.',
  'icon.theme': 'The background the icon is designed for.',
  'jsonSchemaObject.type': 'May be omitted: `type: object` is added when missing.',
  'jsonSchemaObject.properties':
    'One JSON Schema per argument; their `description`s are shown to the model and become doc comments in `.mcp-gen/types.d.ts`.',
  'jsonSchemaObject.required': 'Names of the arguments the model must pass.',
  'toolAnnotations.title': 'Human-readable title.',
  'toolAnnotations.readOnlyHint': 'The tool does not change its environment.',
  'toolAnnotations.destructiveHint': 'The tool may perform destructive updates (meaningful when not read-only).',
  'toolAnnotations.idempotentHint': 'Calling the tool again with the same arguments has no additional effect.',
  'toolAnnotations.openWorldHint': 'The tool interacts with an open world of external entities (e.g. the web).',
  'contentItem.type': 'Which kind of block this is.',
  'contentItem[text].text': 'The text. Never `${VAR}`-interpolated; in a prompt message it may use `{{argument}}`.',
  'contentItem[resource].text': 'Text of the embedded resource (give `text` or `file`). In a prompt message it may use `{{argument}}`.',
  'contentItem.uri': 'URI of the embedded resource. In a prompt message it may use `{{argument}}`.',
  'contentItem.mimeType': 'MIME type; detected from the file extension when omitted.',
  'contentItem.file': 'Path relative to the manifest; read once at build and embedded in the artifact.',
  'tool.name': 'The name the model calls the tool by; unique among tools.',
  'tool.title': 'Human-readable name shown by clients.',
  'tool.annotations': 'Behaviour hints for clients.',
  'tool.icons': 'Icons clients may show next to the tool.',
  'resource.name': 'Unique among resources.',
  'resource.title': 'Human-readable name shown by clients.',
  'resource.description': 'What the resource contains.',
  'resource.icons': 'Icons clients may show next to the resource.',
  'promptArgument.name': 'The argument name; templates read it as `{{name}}`.',
  'promptArgument.title': 'Human-readable name shown by clients.',
  'promptArgument.description': 'What the argument is for.',
  'promptArgument.required': 'A `prompts/get` without it is rejected.',
  'promptMessage.role': 'Who says the message.',
  'prompt.name': 'The name the user picks the prompt by; unique among prompts.',
  'prompt.title': 'Human-readable name shown by clients.',
  'prompt.description': 'What the prompt does.',
  'prompt.icons': 'Icons clients may show next to the prompt.',
  'prompt.arguments': 'Arguments the user fills in; every value is a string.',
  'prompt.messages': 'The messages the prompt renders to, in order.',
  'elicitation.required': 'Names of the form fields the user must fill in.'
};

const choiceMarks = ['¹', '²', '³', '⁴', '⁵', '⁶'];

export function renderManifestReference(schema: Schema): string {
  const defs = (schema.$defs ?? {}) as Record<string, Schema>;
  const listed = new Set(sections.map((s) => s.def));
  const extra: Section[] = Object.keys(defs)
    .filter((name) => !listed.has(name) && isSectionDef(defs[name]!))
    .map((name) => ({ def: name, title: name, intro: '' }));
  const all = [...sections.filter((s) => s.def === '' || defs[s.def] !== undefined), ...extra];
  const anchors = new Map(all.map((s) => [s.def, slug(s.title)] as const));
  const ctx: RenderContext = { defs, anchors };

  const out: string[] = [
    `<!-- Generated from schema/manifest.schema.json by test/docs/generate-manifest-doc.ts. Do not ` +
      `edit by hand; run: ${REGENERATE_COMMAND} -->`,
    '',
    '**Contents:** ' + all.map((s) => `[${s.title}](#${anchors.get(s.def)})`).join(' · '),
    ''
  ];
  for (const s of all) {
    const node = s.def === '' ? schema : defs[s.def]!;
    out.push(...renderSection(s, node, ctx), '');
  }
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

interface RenderContext {
  readonly defs: Record<string, Schema>;
  readonly anchors: ReadonlyMap<string, string>;
}

/** Objects with keys, and unions of objects (content items) get a section; choice groups become notes. */
function isSectionDef(s: Schema): boolean {
  if (s.properties) return true;
  const variants = s.oneOf as Schema[] | undefined;
  return Array.isArray(variants) && variants.some((v) => v.properties !== undefined);
}

function renderSection(section: Section, node: Schema, ctx: RenderContext): string[] {
  const out = [`### ${section.title}`, ''];
  const intro = [section.intro, typeof node.description === 'string' ? node.description : ''].filter(Boolean).join(' ');
  if (intro) out.push(intro, '');

  // A plain value (names): its type and constraints, no table.
  if (!node.properties && !Array.isArray(node.oneOf)) {
    out.push(`Type: ${typeOf(node, ctx)}.`);
    return out;
  }

  const variants = (node.oneOf as Schema[] | undefined)?.filter((v) => v.properties !== undefined) ?? [];
  if (!node.properties && variants.length > 0) {
    // A union of object shapes told apart by `type` (content items): one table per shape.
    const base = new Set((node.required as string[] | undefined) ?? []);
    for (const v of variants) {
      const props = v.properties as Record<string, Schema>;
      const tag = props.type ? typeOf(props.type, ctx) : 'variant';
      out.push(`#### ${tag}`, '');
      const required = new Set([...base, ...((v.required as string[] | undefined) ?? [])]);
      out.push(...table(section.def, props, required, new Map(), ctx, variantOf(v)));
      out.push('', ...closedNote(v), '');
    }
    return out;
  }

  const properties = node.properties as Record<string, Schema>;
  const required = new Set((node.required as string[] | undefined) ?? []);
  const groups = choiceGroups(node, ctx);
  const marks = new Map<string, string>();
  groups.forEach((g, i) => {
    for (const k of g.keys) if (!marks.has(k)) marks.set(k, choiceMarks[i] ?? `(${i + 1})`);
  });
  out.push(...table(section.def, properties, required, marks, ctx), '');
  groups.forEach((g, i) => out.push(`${choiceMarks[i] ?? `(${i + 1})`} ${g.text}`, ''));
  out.push(...closedNote(node));
  return out;
}

/** The `type` value(s) naming a union member: `text`, `image|audio`, `resource`. */
export function variantOf(v: Schema): string | undefined {
  const t = (v.properties as Record<string, Schema> | undefined)?.type;
  if (!t) return undefined;
  if (t.const !== undefined) return String(t.const);
  return Array.isArray(t.enum) ? t.enum.map(String).join('|') : undefined;
}

function closedNote(node: Schema): string[] {
  if (node.additionalProperties === false) return ['Other keys are rejected (`MCPGEN_UNKNOWN_KEY`).'];
  return [
    'Other keys: any JSON Schema 2020-12 keyword, and `fromAuth` and `x-` extensions (see ' +
      '[Schemas](#schemas)); anything else is rejected (`MCPGEN_SCHEMA_KEYWORD`).'
  ];
}

interface ChoiceGroup {
  readonly keys: readonly string[];
  readonly text: string;
}

/** `oneOf: [{required: [a]}, {required: [b]}]`, inline or through `allOf` references. */
function choiceGroups(node: Schema, ctx: RenderContext): ChoiceGroup[] {
  const groups: ChoiceGroup[] = [];
  const consider = (s: Schema) => {
    const target = typeof s.$ref === 'string' ? (ctx.defs[refName(s.$ref)] ?? {}) : s;
    const options = target.oneOf as Schema[] | undefined;
    if (!Array.isArray(options) || !options.every((o) => Array.isArray(o.required) && Object.keys(o).length === 1)) return;
    const keys = options.flatMap((o) => o.required as string[]);
    const list = keys.map((k) => `\`${k}\``).join(', ');
    const description = typeof target.description === 'string' ? ` ${target.description}` : '';
    groups.push({ keys, text: `Exactly one of ${list}.${description}` });
  };
  consider(node);
  for (const s of (node.allOf as Schema[] | undefined) ?? []) consider(s);
  return groups;
}

function table(
  def: string,
  properties: Record<string, Schema>,
  required: ReadonlySet<string>,
  marks: ReadonlyMap<string, string>,
  ctx: RenderContext,
  variant?: string
): string[] {
  const rows = ['| Key | Type | Required | Default | Description |', '| --- | --- | --- | --- | --- |'];
  for (const [key, s] of Object.entries(properties)) {
    const req = required.has(key) ? 'yes' : marks.has(key) ? `one of ${marks.get(key)}` : 'no';
    const def_ = s.default !== undefined ? code(typeof s.default === 'string' ? s.default : JSON.stringify(s.default)) : '';
    rows.push(`| ${code(key)} | ${cell(typeOf(s, ctx))} | ${req} | ${cell(def_)} | ${cell(describe(def, key, s, ctx, variant))} |`);
  }
  return rows;
}

/** The key's description: the schema's own, else that of the definition it references, else the fallback table's. */
export function describe(def: string, key: string, s: Schema, ctx: { defs: Record<string, Schema> }, variant?: string): string {
  if (typeof s.description === 'string') return s.description;
  const fallback =
    (variant !== undefined ? fallbackDescriptions[`${def}[${variant}].${key}`] : undefined) ?? fallbackDescriptions[`${def}.${key}`];
  if (fallback) return fallback;
  if (typeof s.$ref === 'string') {
    const target = ctx.defs[refName(s.$ref)];
    if (typeof target?.description === 'string') return target.description;
  }
  return '';
}

function typeOf(s: Schema, ctx: RenderContext): string {
  if (typeof s.$ref === 'string') {
    const name = refName(s.$ref);
    const target = ctx.defs[name] ?? {};
    const anchor = ctx.anchors.get(name);
    const title = anchor ? `[${sectionTitle(name)}](#${anchor})` : name;
    // A named plain value (a name): show what it is, linked to its section.
    if (!isSectionDef(target)) return `${typeOf(target, ctx)} (${title})`;
    return title;
  }
  if (s.const !== undefined) return code(String(s.const));
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => code(String(v))).join(' or ');
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  const constraints = constraintsOf(s);
  const parts = types.map((t) => {
    if (t === 'array') {
      const items = s.items as Schema | undefined;
      return items ? `list of ${typeOf(items, ctx)}` : 'list';
    }
    if (t === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object' && !s.properties) {
      return `map of name → ${typeOf(s.additionalProperties as Schema, ctx)}`;
    }
    return t;
  });
  const base = parts.length > 0 ? parts.join(' or ') : 'any';
  return constraints ? `${base}, ${constraints}` : base;
}

function sectionTitle(def: string): string {
  return sections.find((s) => s.def === def)?.title ?? def;
}

function constraintsOf(s: Schema): string {
  const c: string[] = [];
  if (s.minLength === 1) c.push('non-empty');
  else if (typeof s.minLength === 'number') c.push(`at least ${s.minLength} characters`);
  if (typeof s.minimum === 'number' && typeof s.maximum === 'number') c.push(`${s.minimum}–${s.maximum}`);
  else if (typeof s.minimum === 'number') c.push(`≥ ${s.minimum}`);
  else if (typeof s.maximum === 'number') c.push(`≤ ${s.maximum}`);
  if (typeof s.minItems === 'number') c.push(`at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`);
  if (typeof s.pattern === 'string') c.push(`matching ${code(s.pattern)}`);
  return c.join(', ');
}

function refName(ref: string): string {
  return ref.replace(/^#\/\$defs\//, '');
}

function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** Table cells: pipes escaped (also inside code spans, as GitHub requires), no line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/** Every key of every object in the schema, with its description as rendered (for the "every key is described" check). */
export function allKeys(schema: Schema): { def: string; key: string; description: string }[] {
  const defs = (schema.$defs ?? {}) as Record<string, Schema>;
  const ctx = { defs };
  const out: { def: string; key: string; description: string }[] = [];
  const visit = (def: string, node: Schema) => {
    const props = node.properties as Record<string, Schema> | undefined;
    if (props) {
      for (const [key, s] of Object.entries(props)) out.push({ def, key, description: describe(def, key, s, ctx) });
    }
    for (const v of (node.oneOf as Schema[] | undefined) ?? []) {
      if (v.properties)
        for (const [key, s] of Object.entries(v.properties as Record<string, Schema>))
          out.push({ def, key, description: describe(def, key, s, ctx, variantOf(v)) });
    }
  };
  visit('', schema);
  for (const [name, node] of Object.entries(defs)) visit(name, node);
  return out;
}

/** Replaces the generated section of a document; throws when the markers are missing. */
export function replaceGenerated(doc: string, generated: string): string {
  const start = doc.indexOf(GENERATED_START);
  const end = doc.indexOf(GENERATED_END);
  if (start === -1 || end === -1 || end < start) throw new Error(`docs/manifest.md must contain ${GENERATED_START} and ${GENERATED_END}`);
  return `${doc.slice(0, start + GENERATED_START.length)}\n${generated}${doc.slice(end)}`;
}

/** The generated section of a document, as written between the markers. */
export function extractGenerated(doc: string): string | undefined {
  const start = doc.indexOf(GENERATED_START);
  const end = doc.indexOf(GENERATED_END);
  if (start === -1 || end === -1 || end < start) return undefined;
  return doc.slice(start + GENERATED_START.length + 1, end);
}
