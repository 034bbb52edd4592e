/** A JSON Schema (2020-12) node, as plain data. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** What a kind adds to one entry type's schema (tools, or resources and resource templates). */
export interface EntrySchema {
  /** Every key the kind reads on the entry; those that select the kind (its lowerings' `key`/`keys`) must be among them. */
  readonly properties: Readonly<Record<string, JsonSchema>>;
  /** Keys that only mean something next to another key of the kind (`sandbox` needs `handler`). */
  readonly dependentRequired?: Readonly<Record<string, readonly string[]>>;
  /** Further conditions on entries of the kind (`sql` needs `source`). */
  readonly allOf?: readonly JsonSchema[];
  /** Entries of the kind amend entries their source generates, so they need no name or description of their own. */
  readonly amends?: boolean;
}

/**
 * A kind's part of the manifest schema; generators/validate/compose-schema.ts joins the base schema and every
 * registered kind's part into the schema that validates manifests (and is published as schema/manifest.schema.json).
 */
export interface KindSchema {
  /** `$defs` the kind adds; their names must not clash with the base schema's or another kind's. */
  readonly defs?: Readonly<Record<string, JsonSchema>>;
  /** Top-level manifest keys the kind adds (handler: `sandbox`). */
  readonly manifest?: Readonly<Record<string, JsonSchema>>;
  readonly tool?: EntrySchema;
  /** Resources and resource templates (one entry type in the manifest: `uri` or `uriTemplate`). */
  readonly resource?: EntrySchema;
  /** `sources.NAME` handled by the kind: the key that selects it, the schema of such a source, and a phrase for `sources:`. */
  readonly source?: { readonly key: string; readonly schema: JsonSchema; readonly summary: string };
  /** A prompt argument's `complete:`, when the kind can complete prompt arguments. */
  readonly complete?: JsonSchema;
}
