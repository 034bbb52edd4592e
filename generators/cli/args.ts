import { parseArgs, type ParseArgsConfig } from 'node:util';
import { jsonErrorOffset, pointAt } from './json-position.js';

export class UsageError extends Error {}

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict flag parsing: an unknown flag is a usage error, never silently ignored. */
export function parse(argv: string[], options: Options, positionals = 0) {
  try {
    const r = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: positionals > 0,
      strict: true
    });
    if (r.positionals.length > positionals) throw new UsageError(`unexpected argument ${r.positionals[positionals]}`);
    return r as { values: Record<string, string | boolean | undefined>; positionals: string[] };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function jsonArg(text: string | boolean | undefined, flag: string): Record<string, unknown> {
  if (text === undefined || typeof text === 'boolean') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new UsageError(
      `${flag} is not valid JSON at ${pointAt(text, jsonErrorOffset(text))}\n${flag} takes a JSON object, e.g. ${flag} '{"name":"Ada"}'`
    );
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  throw new UsageError(`${flag} must be a JSON object, e.g. ${flag} '{"name":"Ada"}'`);
}

/** Prints a command's help text (kept here so a command's --help loads nothing heavy). */
export function help(text: string): number {
  process.stdout.write(text);
  return 0;
}
