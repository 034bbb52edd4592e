import type { McpTransportIR } from '../../../runtime/kinds/mcp/ir.js';

type Obj = Record<string, unknown>;
const strings = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries((v ?? {}) as Obj).map(([k, x]) => [k, String(x)]));

/** `mcp:` (the schema has checked its shape) → how to reach the upstream; from the raw manifest it keeps `${VAR}`. */
export function transportOf(mcp: Obj): McpTransportIR {
  if (typeof mcp.url === 'string') return { type: 'http', url: mcp.url, headers: strings(mcp.headers) };
  return {
    type: 'stdio',
    command: String(mcp.command),
    args: Array.isArray(mcp.args) ? mcp.args.map(String) : [],
    env: strings(mcp.env),
    ...(typeof mcp.cwd === 'string' ? { cwd: mcp.cwd } : {})
  };
}
