import { keywordTransforms, type KeywordContext } from './keywords.js';
import { nodePasses, type NodeContext } from './nodes.js';
import { escapePointerSegment } from './refs.js';
import {
  isSchemaObject,
  type ConvertOptions,
  type Converted,
  type Dialect,
  type JsonSchema,
  type JsonSchemaObject,
  type SchemaIssue
} from './types.js';

/**
 * Converts an OpenAPI Schema Object to JSON Schema 2020-12 without dereferencing: `#/components/schemas/X`
 * becomes `#/$defs/X` and everything else is translated keyword by keyword (keywords.ts), then node by node
 * (nodes.ts). Never throws; what it could not carry over is listed in `issues`.
 */
export function convertSchema(schema: unknown, dialect: Dialect, options: ConvertOptions = {}): Converted {
  const issues: SchemaIssue[] = [];
  const keepExtensions = new Set(options.keepExtensions ?? ['x-mcp-header', 'x-sensitive']);

  const convertNode = (node: unknown, pointer: string): JsonSchema => {
    if (typeof node === 'boolean') return node;
    if (!isSchemaObject(node)) {
      issues.push({
        pointer,
        severity: 'error',
        message: `a schema must be an object or a boolean, got ${JSON.stringify(node) ?? typeof node}`
      });
      return {};
    }
    const out: JsonSchemaObject = {};
    for (const [keyword, value] of Object.entries(node)) {
      const at = `${pointer}/${escapePointerSegment(keyword)}`;
      if (keyword.startsWith('x-')) {
        if (keepExtensions.has(keyword)) out[keyword] = value;
        continue;
      }
      const ctx: KeywordContext = {
        source: node,
        out,
        dialect,
        sub: (value, ...path) => convertNode(value, [at, ...path.map(escapePointerSegment)].join('/')),
        issue: (severity, message) => issues.push({ pointer: at, severity, message })
      };
      // hasOwn: a schema may carry a key such as "constructor" that a plain lookup would find on Object.prototype.
      const transform = Object.hasOwn(keywordTransforms, keyword) ? keywordTransforms[keyword] : undefined;
      if (transform) transform(value, ctx, keyword);
      else ctx.issue('warning', `${keyword} is not a keyword of OpenAPI ${dialect} schemas or JSON Schema 2020-12; dropped`);
    }
    const nodeCtx: NodeContext = {
      source: node,
      dialect,
      options,
      issue: (severity, message) => issues.push({ pointer, severity, message })
    };
    return nodePasses.reduce((converted, pass) => pass(converted, nodeCtx), out);
  };

  return { schema: convertNode(schema, options.pointer ?? '#'), issues };
}

/**
 * Converts every entry of `components.schemas` once, keyed by name, ready to hand to collectDefs; issues point
 * at `#/components/schemas/<name>/...`.
 */
export function convertComponents(
  schemas: unknown,
  dialect: Dialect,
  options: Omit<ConvertOptions, 'pointer'> = {}
): Converted<Record<string, JsonSchema>> {
  const base = '#/components/schemas';
  if (schemas === undefined) return { schema: {}, issues: [] };
  if (!isSchemaObject(schemas))
    return { schema: {}, issues: [{ pointer: base, severity: 'error', message: 'components.schemas must be a map of schemas' }] };
  const issues: SchemaIssue[] = [];
  const entries = Object.entries(schemas).map(([name, schema]) => {
    const converted = convertSchema(schema, dialect, { ...options, pointer: `${base}/${escapePointerSegment(name)}` });
    issues.push(...converted.issues);
    return [name, converted.schema] as const;
  });
  return { schema: Object.fromEntries(entries), issues };
}
