import type { ClientPreset, Entry } from './presets.js';

export type Merged = { readonly text: string; readonly replaced: boolean } | { readonly error: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The configuration file's text with `entry` under `name`, every other entry and key kept as they were (in their
 * order). `existing` undefined: a new file. An entry of the same name is replaced only with `force`. A file that is
 * not a JSON object (or holds comments, which JSON.parse refuses) is not touched: the error says so.
 */
export function mergeEntry(existing: string | undefined, preset: ClientPreset, name: string, entry: Entry, force: boolean): Merged {
  let config: Json = {};
  if (existing !== undefined && existing.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing);
    } catch (e) {
      return { error: `is not valid JSON (${(e as Error).message}); comments are not kept by this merge: add the entry by hand` };
    }
    if (!isObject(parsed)) return { error: 'does not hold a JSON object: add the entry by hand' };
    config = parsed;
  }
  const servers = config[preset.serversKey] ?? {};
  if (!isObject(servers)) return { error: `has a "${preset.serversKey}" that is not an object: add the entry by hand` };
  const replaced = Object.hasOwn(servers, name);
  if (replaced && !force) return { error: `already has a server named "${name}": --force replaces it (or --name gives another name)` };
  const next: Json = { ...config, [preset.serversKey]: { ...servers, [name]: entry.server } };
  if (entry.inputs) {
    const inputs = Array.isArray(config.inputs) ? config.inputs : [];
    const ids = new Set(entry.inputs.map((i) => i.id));
    next.inputs = [...inputs.filter((i) => !(isObject(i) && ids.has(i.id))), ...entry.inputs];
  }
  return { text: `${JSON.stringify(next, null, 2)}\n`, replaced };
}
