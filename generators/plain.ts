/** A plain object read from YAML or JSON whose shape is not (yet) trusted. */
export type Obj = Record<string, unknown>;

/** The value as a plain object, or an empty one when it is anything else (a list, a string, null, missing). */
export function obj(value: unknown): Obj {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
}

/**
 * A manifest object lowering reads although the schema may have refused it (the build goes on past schema errors
 * to report more): its keys are those of T (generators/manifest-types.ts), so a misspelt key is a compile error,
 * while each value stays `unknown` and is checked where it is read.
 */
export type Unchecked<T> = { readonly [K in keyof T]-?: unknown };

export function unchecked<T>(value: unknown): Unchecked<T> {
  return obj(value) as Unchecked<T>;
}
