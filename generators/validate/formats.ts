import type { Ajv2020 as Ajv } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { formatNames as names } from 'ajv-formats/dist/formats.js';

type FormatsPlugin = (ajv: Ajv, options: { keywords: boolean }) => Ajv;
// ajv-formats is CommonJS with a `default` property; Node's ESM loader hands us module.exports.
const plugin = ((formatsModule as unknown as { default?: FormatsPlugin }).default ?? formatsModule) as unknown as FormatsPlugin;

/**
 * Every format ajv-formats validates: JSON Schema's (date-time, email, uri, uuid, …) and OpenAPI's (int32, int64,
 * float, double, byte, binary, password). Compiled validators call ajv-formats' functions, which the artifact's
 * bundle embeds, so the runtime imports nothing for them.
 */
export const formatNames: readonly string[] = names;

export function addFormats<A extends Ajv>(ajv: A): A {
  plugin(ajv, { keywords: false });
  return ajv;
}
