import type { DestinationStream } from 'pino';

/** Characters that make a field value ambiguous on one line: such values are printed as JSON strings. */
const PLAIN = /^[^\s"=()]*$/;

/**
 * The readable format (`--log-format pretty`, the default at a terminal): `mcp-gen <level>: message` as before
 * pino, then the line's fields as `(name=value …)`. A destination that reads pino's JSON line back: pretty output
 * is for a person watching, where a parse per line costs nothing that matters.
 */
export class PrettyDestination implements DestinationStream {
  constructor(private readonly out: (line: string) => void) {}

  write(json: string): void {
    const { level, msg, time: _time, ...fields } = JSON.parse(json) as Record<string, unknown>;
    const shown = Object.entries(fields).map(([name, value]) => `${name}=${show(value)}`);
    this.out(`mcp-gen ${String(level)}: ${String(msg ?? '')}${shown.length > 0 ? ` (${shown.join(' ')})` : ''}\n`);
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return PLAIN.test(value) && value !== '' ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}
