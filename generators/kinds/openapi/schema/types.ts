/** A JSON Schema 2020-12 node: an object of keywords, or one of the boolean schemas `true` / `false`. */
export type JsonSchema = boolean | JsonSchemaObject;
export interface JsonSchemaObject {
  [keyword: string]: unknown;
}

/** Which Schema Object flavour the input is: 3.0 is its own JSON Schema variant, 3.1 is 2020-12 plus a few OpenAPI keywords. */
export type Dialect = '3.0' | '3.1';

/**
 * Something the conversion noticed. `error`: the input is not a valid schema and a constraint was dropped, so the
 * output may accept values the API rejects; the caller should skip the operation. `warning`: converted by a
 * known mapping, or only annotations were lost.
 */
export interface SchemaIssue {
  /** JSON pointer (URI fragment form) of the offending keyword, relative to the OpenAPI document. */
  readonly pointer: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface ConvertOptions {
  /** Where the schema sits in the OpenAPI document, so issues point at the source; `#` by default. */
  readonly pointer?: string;
  /**
   * OpenAPI says readOnly properties are not sent in requests and writeOnly ones not returned in responses, even
   * when `required`. `request` drops readOnly properties (and their `required` entries), `response` drops writeOnly
   * ones; unset keeps both as annotations. Only a property's own schema is looked at, not what its $ref points to.
   */
  readonly direction?: 'request' | 'response';
  /** `x-` extensions copied to the output; every other extension is dropped. `['x-mcp-header', 'x-sensitive']` by default. */
  readonly keepExtensions?: readonly string[];
}

export interface Converted<T = JsonSchema> {
  readonly schema: T;
  readonly issues: readonly SchemaIssue[];
}

export function isSchemaObject(value: unknown): value is JsonSchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
