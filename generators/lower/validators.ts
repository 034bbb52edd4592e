import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { addFormats } from '../validate/formats.js';

// ajv's standalone module is CommonJS with a `default` property; Node's ESM loader hands us module.exports.
type Standalone = (ajv: Ajv2020, refs: Record<string, string>) => string;
const standalone = ((standaloneModule as unknown as { default?: Standalone }).default ?? standaloneModule) as Standalone;

/**
 * Collects argument schemas during lowering; emits them as one ESM module of precompiled validators
 * (ajv standalone), so the runtime never compiles a schema.
 */
export class ValidatorSet {
  // Users' schemas are checked strictly before they get here (user-schema.ts); an OpenAPI document's unknown
  // formats and keywords are warned about or ignored, never a lost operation.
  private readonly ajv = addFormats(
    new Ajv2020({ allErrors: true, strict: false, useDefaults: true, logger: false, code: { source: true, esm: true } })
  );
  private readonly exports: Record<string, string> = {};
  /** Identical schemas (common in generated APIs) share one compiled validator: smaller artifact, faster start. */
  private readonly bySource = new Map<string, string>();
  private count = 0;
  private readonly schemas = new Map<string, Record<string, unknown>>();

  /** Adds a schema; returns its export name, or the compile error message. */
  add(schema: Record<string, unknown>): { name: string } | { error: string } {
    const source = JSON.stringify(schema);
    const known = this.bySource.get(source);
    if (known) return { name: known };
    const name = `v${this.count++}`;
    const key = `mcpgen:${name}`;
    const copy = { ...schema };
    delete copy.$id;
    try {
      this.ajv.compile({ ...copy, $id: key });
    } catch (e) {
      return { error: (e as Error).message };
    }
    this.exports[name] = key;
    this.bySource.set(source, name);
    this.schemas.set(name, schema);
    return { name };
  }

  /** Problems of `value` against a validator added here (a copy is checked: defaults are not written into it). */
  check(name: string, value: unknown): string[] {
    const validate = this.ajv.getSchema(`mcpgen:${name}`);
    if (!validate || validate(structuredClone(value))) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  }

  /** The schema a validator was compiled from. */
  schemaOf(name: string): Record<string, unknown> | undefined {
    return this.schemas.get(name);
  }

  emit(): string {
    if (Object.keys(this.exports).length === 0) return 'export {};\n';
    return standalone(this.ajv, this.exports) + '\n';
  }
}
