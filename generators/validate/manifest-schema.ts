import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { generatorKinds } from '../kinds/registry.js';
import type { LoadedManifest } from '../load/load-manifest.js';
import { composeManifestSchema, type ChoiceGroup, type ComposedSchema, type KindPart } from './compose-schema.js';
import { valueAt } from './pointer.js';
import { closest } from '../../runtime/suggest.js';

let composed: ComposedSchema | undefined;

/** The schema manifests are validated with: the base schema and every registered kind's fragment. */
export function composedManifestSchema(): ComposedSchema {
  composed ??= composeManifestSchema(registeredKinds());
  return composed;
}

/** A copy of the manifest schema (schema/manifest.schema.json publishes the same for editors). */
export function manifestSchema(): Record<string, unknown> {
  return structuredClone(composedManifestSchema().schema) as Record<string, unknown>;
}

type Selecting = { readonly key: string; readonly keys?: readonly string[] } | undefined;

function registeredKinds(): KindPart[] {
  return Object.entries(generatorKinds).map(([name, kind]) => {
    const lowerings = kind as unknown as Readonly<Record<'tool' | 'resource' | 'resourceTemplate', Selecting>>;
    const keysOf = (...types: ('tool' | 'resource' | 'resourceTemplate')[]): string[] => [
      ...new Set(types.flatMap((t) => (lowerings[t] ? [lowerings[t].key, ...(lowerings[t].keys ?? [])] : [])))
    ];
    return { name, schema: kind.schema, selects: { tool: keysOf('tool'), resource: keysOf('resource', 'resourceTemplate') } };
  });
}

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, strict: false, discriminator: true, verbose: true }).compile(composedManifestSchema().schema);
  return compiled;
}

export function validateManifestSchema(manifest: LoadedManifest): Diagnostic[] {
  const validate = validator();
  if (validate(manifest.value)) return [];
  const errors = validate.errors ?? [];
  const out: Diagnostic[] = [];
  const suppressed: string[] = [];
  for (const e of errors) {
    const group = choiceGroupOf(e);
    if (group && e.keyword === 'oneOf') {
      suppressed.push(e.schemaPath);
      out.push(choiceDiagnostic(manifest, e, group));
    }
  }
  for (const e of errors) {
    if (e.keyword === 'oneOf' && choiceGroupOf(e)) continue;
    if (suppressed.some((p) => e.schemaPath.startsWith(p + '/'))) continue;
    if (e.keyword === 'if') continue;
    out.push(toDiagnostic(manifest, e));
  }
  return dedupe(out);
}

function choiceGroupOf(e: ErrorObject): ChoiceGroup | undefined {
  const groups = composedManifestSchema().choices;
  const name = Object.keys(groups).find((g) => e.schemaPath.includes(`/$defs/${g}/oneOf`) || e.schemaPath === `#/$defs/${g}/oneOf`);
  return name ? groups[name] : undefined;
}

function choiceDiagnostic(m: LoadedManifest, e: ErrorObject, group: ChoiceGroup): Diagnostic {
  const data = valueAt(m.value, e.instancePath);
  const present = data && typeof data === 'object' ? group.keys.filter((k) => k in data) : [];
  const choices = group.keys.join(', ');
  const message =
    present.length === 0
      ? `${group.what} is missing: give exactly one of ${choices}`
      : `${group.what} is chosen by exactly one key, but this entry has ${present.join(' and ')}`;
  // A misspelt choice key (`opnapi:`) is not always an unknown key too (sources accept any key until one picks the kind).
  const keys = present.length === 0 && data && typeof data === 'object' ? Object.keys(data) : [];
  const misspelt = keys.find((k) => closest(k, group.keys));
  const guess = misspelt === undefined ? '' : ` Did you mean "${closest(misspelt, group.keys)}" for "${misspelt}"?`;
  return diagnostic('MCPGEN_BACKEND_CHOICE', message, m.source.locate(e.instancePath), e.instancePath, {
    hint: `Keep exactly one of: ${choices}.${guess}`
  });
}

function toDiagnostic(m: LoadedManifest, e: ErrorObject): Diagnostic {
  const pointer = e.instancePath;
  const at = m.source.locate(pointer);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const keyPointer = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const allowed = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});
      const guess = closest(key, allowed);
      return diagnostic('MCPGEN_UNKNOWN_KEY', `unknown key "${key}"`, m.source.locate(keyPointer, { key: true }), keyPointer, {
        hint: guess ? `Did you mean "${guess}"? Allowed here: ${allowed.join(', ')}.` : `Allowed here: ${allowed.join(', ')}.`
      });
    }
    case 'required':
      return diagnostic('MCPGEN_MISSING_KEY', `missing required key "${String(e.params.missingProperty)}"`, at, pointer);
    case 'type':
      return diagnostic('MCPGEN_TYPE', `expected ${String(e.params.type)}, got ${describe(valueAt(m.value, pointer))}`, at, pointer);
    case 'pattern':
      if (pointer.endsWith('/name')) {
        return diagnostic(
          'MCPGEN_INVALID_NAME',
          `invalid name ${JSON.stringify(valueAt(m.value, pointer))}: must be 1-64 characters from [A-Za-z0-9_.-]`,
          at,
          pointer
        );
      }
      return diagnostic(
        'MCPGEN_INVALID_VALUE',
        `value ${JSON.stringify(valueAt(m.value, pointer))} must match ${String(e.params.pattern)}`,
        at,
        pointer
      );
    case 'enum':
      return diagnostic(
        'MCPGEN_INVALID_VALUE',
        `expected one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        at,
        pointer
      );
    case 'discriminator':
      return diagnostic('MCPGEN_INVALID_VALUE', `content "type" must be one of text, image, audio, resource`, at, pointer);
    case 'minLength':
      return diagnostic('MCPGEN_INVALID_VALUE', 'must not be empty', at, pointer);
    case 'const':
      return diagnostic('MCPGEN_INVALID_VALUE', `expected ${JSON.stringify(e.params.allowedValue)}`, at, pointer);
    case 'not': {
      const why = typeof e.parentSchema?.description === 'string' ? { hint: e.parentSchema.description } : {};
      return diagnostic('MCPGEN_INVALID_VALUE', `value ${JSON.stringify(valueAt(m.value, pointer))} is not allowed here`, at, pointer, why);
    }
    case 'dependentRequired': {
      // A key that only means something next to another (`sandbox:` on handlers): say so at the key, not at the entry.
      const key = `${pointer}/${String(e.params.property)}`;
      return diagnostic(
        'MCPGEN_INVALID_VALUE',
        `"${String(e.params.property)}" applies only to entries with "${String(e.params.missingProperty)}"`,
        m.source.locate(key, { key: true }),
        key
      );
    }
    default:
      return diagnostic('MCPGEN_INVALID_VALUE', `value ${e.message ?? 'is not allowed'}`, at, pointer);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : `${typeof v} ${JSON.stringify(v)}`;
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = `${d.code}|${d.pointer}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
