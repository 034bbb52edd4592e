import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DocumentPattern } from '../kinds/kind.js';
import type { LoadedManifest } from '../load/load-manifest.js';
import { checkRegexes, regexKey, type RegexVerdict } from './regex-safety.js';

/**
 * Schema `pattern`s and `patternProperties` keys run on request input: the validators (Ajv) test them with
 * JavaScript's backtracking engine, with the `u` flag, on strings up to transport.limits.maxArgumentBytes (Ajv
 * checks every keyword, so a smaller `maxLength` does not spare the pattern). The build checks each with
 * recheck and warns about a super-linear one at its place: in the manifest (tool input and output schemas), or
 * in a document a source loaded, e.g. OpenAPI (the patterns that reach a generated tool's schemas).
 */

interface PatternSite {
  readonly pattern: string;
  /** JSON pointer of the `pattern` value, or of the `patternProperties` key. */
  readonly pointer: string;
  readonly key: boolean;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const escapePointerToken = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** Instance values, not schemas: a `pattern` inside an example is not a pattern. */
const valueKeys = new Set(['default', 'const', 'enum', 'example', 'examples']);
/** Maps whose keys are names (a property called `default` is a schema like any other). */
const nameMaps = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'schemas',
  'responses',
  'parameters',
  'requestBodies',
  'headers',
  'callbacks',
  'links',
  'paths',
  'content',
  'encoding'
]);

/** Every pattern under `node`, a schema or a whole OpenAPI document. */
export function patternSites(node: unknown, pointer: string, names = false, out: PatternSite[] = []): PatternSite[] {
  if (Array.isArray(node)) node.forEach((item, i) => patternSites(item, `${pointer}/${i}`, false, out));
  if (!isObject(node)) return out;
  for (const [k, v] of Object.entries(node)) {
    const at = `${pointer}/${escapePointerToken(k)}`;
    if (!names) {
      if (valueKeys.has(k) || k.startsWith('x-')) continue;
      if (k === 'pattern' && typeof v === 'string') out.push({ pattern: v, pointer: at, key: false });
      if (k === 'patternProperties' && isObject(v))
        for (const p of Object.keys(v)) out.push({ pattern: p, pointer: `${at}/${escapePointerToken(p)}`, key: true });
    }
    patternSites(v, at, !names && nameMaps.has(k), out);
  }
  return out;
}

const what = (s: PatternSite) => `${s.key ? 'patternProperties key' : 'pattern'} ${JSON.stringify(s.pattern)}`;
const slow = (v: RegexVerdict) => `can take ${v.complexity} time on a long string (ReDoS)`;

/** A source's document patterns, reported at the source's key (e.g. `/sources/api/openapi`). */
export interface SourcePatterns {
  readonly pointer: string;
  readonly sites: readonly DocumentPattern[];
}

/** MCPGEN_UNSAFE_PATTERN warnings for the manifest's and the sources' documents' super-linear patterns. */
export async function checkSchemaPatterns(manifest: LoadedManifest, sources: readonly SourcePatterns[], out: Diagnostic[]): Promise<void> {
  const tools = (manifest.value as { tools?: unknown }).tools;
  const inManifest = (Array.isArray(tools) ? tools : []).flatMap((t: unknown, i) =>
    isObject(t) ? [...patternSites(t.input, `/tools/${i}/input`), ...patternSites(t.output, `/tools/${i}/output`)] : []
  );
  const all = [...inManifest, ...sources.flatMap((s) => s.sites)];
  if (all.length === 0) return;
  const verdicts = await checkRegexes(all.map((s) => ({ source: s.pattern, flags: 'u' })));
  const unsafe = (s: PatternSite) => {
    const v = verdicts.get(regexKey(s.pattern, 'u'));
    return v?.status === 'vulnerable' ? v : undefined;
  };
  for (const s of inManifest) {
    const v = unsafe(s);
    if (v)
      out.push(
        diagnostic('MCPGEN_UNSAFE_PATTERN', `${what(s)} ${slow(v)}`, manifest.source.locate(s.pointer, { key: s.key }), s.pointer, {
          severity: 'warning'
        })
      );
  }
  for (const { pointer, sites } of sources) {
    const byPattern = new Map<string, DocumentPattern[]>();
    for (const s of sites) if (unsafe(s)) byPattern.set(s.pattern, [...(byPattern.get(s.pattern) ?? []), s]);
    for (const [, [first, ...more]] of byPattern) {
      const others = more.length > 0 ? `, and ${more.length} more place${more.length > 1 ? 's' : ''}` : '';
      const message = `${what(first!)} at ${first!.place ? `${first!.place} ` : ''}(${first!.pointer}${others}) ${slow(unsafe(first!)!)}`;
      out.push(diagnostic('MCPGEN_UNSAFE_PATTERN', message, manifest.source.locate(pointer), pointer, { severity: 'warning' }));
    }
  }
}
