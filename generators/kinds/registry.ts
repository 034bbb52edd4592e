import type { KindName } from '../../runtime/artifact/ir.js';
import type { GeneratorKind } from './kind.js';
import { contentKind } from './content/index.js';
import { fileKind } from './file/index.js';
import { handlerKind } from './handler/index.js';
import { openapiKind } from './openapi/index.js';
import { sqlKind } from './sql/index.js';
import { templateKind } from './template/index.js';

/** Every backend kind, keyed by name; a kind missing here is a compile error. */
export const generatorKinds: { readonly [K in KindName]: GeneratorKind<K> } = {
  template: templateKind,
  content: contentKind,
  handler: handlerKind,
  file: fileKind,
  openapi: openapiKind,
  sql: sqlKind
};

type EntryType = 'tool' | 'resource' | 'resourceTemplate';

/** The kind an entry selects by its backend key (the schema has already checked there is exactly one). */
export function kindFor(type: EntryType, entry: Readonly<Record<string, unknown>>): KindName | undefined {
  for (const name of Object.keys(generatorKinds) as KindName[]) {
    const lowering = (generatorKinds[name] as Partial<Record<EntryType, { key: string; keys?: readonly string[] }>>)[type];
    if (lowering && [lowering.key, ...(lowering.keys ?? [])].some((k) => k in entry)) return name;
  }
  return undefined;
}
