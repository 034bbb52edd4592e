/** A plain object read from JSON whose shape is not (yet) trusted. */
export type Obj = Record<string, unknown>;

/** The value as a plain object, or an empty one when it is anything else (a list, a string, null, missing). */
export function obj(value: unknown): Obj {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
}
