import { Ajv2020 } from 'ajv/dist/2020.js';
import { addFormats, formatNames } from './formats.js';
import { isUnquotedText } from './unquoted-text.js';
import { closest } from '../../runtime/suggest.js';

/** Keywords mcp-gen reads from users' schemas; every other `x-` extension is accepted as an annotation. */
export const mcpGenKeywords = ['fromAuth', 'x-mcp-header', 'x-sensitive'] as const;

export interface SchemaProblem {
  readonly kind: 'keyword' | 'format' | 'invalid';
  /** JSON pointer relative to the schema's root. */
  readonly pointer: string;
  /** `unknown keyword "descriptoin"`, or ajv's strict-mode message. */
  readonly message: string;
  /** The likely intended keyword or format. */
  readonly guess?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const escapePointerToken = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

const schemaMaps = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const schemaLists = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const schemaValues = [
  'not',
  'if',
  'then',
  'else',
  'items',
  'additionalItems',
  'additionalProperties',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema'
];

/** Calls `visit` on every subschema (objects only) with its pointer relative to the root. */
export function eachSubschema(schema: unknown, visit: (node: Obj, pointer: string) => void, pointer = ''): void {
  if (!isObj(schema)) return;
  visit(schema, pointer);
  for (const key of schemaMaps) {
    if (isObj(schema[key]))
      for (const [k, v] of Object.entries(schema[key])) eachSubschema(v, visit, `${pointer}/${key}/${escapePointerToken(k)}`);
  }
  for (const key of [...schemaLists, 'items']) {
    if (Array.isArray(schema[key])) (schema[key] as unknown[]).forEach((v, i) => eachSubschema(v, visit, `${pointer}/${key}/${i}`));
  }
  for (const key of schemaValues) eachSubschema(schema[key], visit, `${pointer}/${key}`);
}

let strictAjv: Ajv2020 | undefined;
let known: string[] = [];
function checker(): Ajv2020 {
  if (strictAjv) return strictAjv;
  const ajv = new Ajv2020({
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allErrors: true,
    logger: false
  });
  addFormats(ajv);
  // ajv resolves `$anchor` but its strict mode does not list it as a keyword.
  for (const keyword of [...mcpGenKeywords, '$anchor']) ajv.addKeyword({ keyword });
  known = Object.keys(ajv.RULES.keywords);
  strictAjv = ajv;
  return ajv;
}

/**
 * Compiles a user's schema the strict way: every unknown keyword and format is reported with its pointer (ajv's
 * strict mode stops at the first and names no place), then ajv's own strict checks run on the rest.
 */
export function checkUserSchema(schema: unknown): SchemaProblem[] {
  const ajv = checker();
  const problems: SchemaProblem[] = [];
  eachSubschema(schema, (node, at) => {
    for (const [key, value] of Object.entries(node)) {
      if (known.includes(key) || key.startsWith('x-') || (mcpGenKeywords as readonly string[]).includes(key) || isUnquotedText(key, value))
        continue;
      const guess = closest(key, [...known.filter((k) => !k.startsWith('$') && k !== 'id'), ...mcpGenKeywords]);
      problems.push({
        kind: 'keyword',
        pointer: `${at}/${escapePointerToken(key)}`,
        message: `unknown keyword "${key}"`,
        ...(guess ? { guess } : {})
      });
    }
    if (typeof node.format === 'string' && !formatNames.includes(node.format)) {
      const guess = closest(node.format, formatNames);
      problems.push({ kind: 'format', pointer: `${at}/format`, message: `unknown format "${node.format}"`, ...(guess ? { guess } : {}) });
    }
  });
  if (problems.length > 0 || !isObj(schema)) return problems;
  try {
    // `x-` names need not be valid ajv keyword names: they are left out rather than registered.
    const copy = strippedCopy(schema, (key, value) => key.startsWith('x-') || isUnquotedText(key, value));
    delete copy.$id;
    ajv.compile(copy);
  } catch (e) {
    // Meta-schema errors ("schema is invalid") are reported by the validator set with their place.
    const message = (e as Error).message;
    if (message.startsWith('strict mode: '))
      problems.push({ kind: 'invalid', pointer: '', message: message.slice('strict mode: '.length) });
  } finally {
    ajv.removeSchema();
  }
  return problems;
}

/** Formats of a schema (and its subschemas) that mcp-gen does not know, with their pointers. */
export function unknownFormats(schema: unknown): { format: string; pointer: string }[] {
  const out: { format: string; pointer: string }[] = [];
  eachSubschema(schema, (node, at) => {
    if (typeof node.format === 'string' && !formatNames.includes(node.format)) out.push({ format: node.format, pointer: `${at}/format` });
  });
  return out;
}

/** A copy without the keys YAML made of unquoted text (each is reported as one warning). */
export function withoutUnquotedText(schema: Obj): Obj {
  return strippedCopy(schema, isUnquotedText);
}

function strippedCopy(schema: Obj, drop: (key: string, value: unknown) => boolean): Obj {
  const copy = structuredClone(schema);
  eachSubschema(copy, (node) => {
    for (const [k, v] of Object.entries(node)) if (drop(k, v)) delete node[k];
  });
  return copy;
}
