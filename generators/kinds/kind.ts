import type { KindExec, KindName } from '../../runtime/artifact/ir.js';
import type { LowerContext } from '../lower/context.js';
import type { KindSchema } from './kind-schema.js';

export type Entry = Readonly<Record<string, unknown>>;

export interface EntryRef {
  readonly name: string;
  readonly pointer: string;
  /** Names a template may use: tool argument names, or URI template variable names. */
  readonly declared: readonly string[];
}

export interface Lowering<Exec> {
  /** The manifest key that selects this kind for the entry type. */
  readonly key: string;
  /** Other manifest keys that select the same kind (e.g. `sqlFile` besides `sql`). */
  readonly keys?: readonly string[];
  /** Properties the kind adds to every tool's input schema (e.g. a pagination cursor). */
  readonly input?: Readonly<Record<string, Record<string, unknown>>>;
  lower(entry: Entry, ref: EntryRef, ctx: LowerContext): Exec | undefined;
}

/** One backend kind at build time. An entry type the kind does not serve is typed `never` and must be absent. */
export type GeneratorKind<K extends KindName> = {
  readonly [T in keyof KindExec[K] as KindExec[K][T] extends never ? never : T]: Lowering<KindExec[K][T]>;
} & {
  /** The kind's part of the manifest schema (generators/validate/compose-schema.ts joins them). */
  readonly schema: KindSchema;
};
