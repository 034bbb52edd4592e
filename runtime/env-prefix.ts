/** mcp-gen's own variables are MCPGEN_<NAME>; the old MCP_GEN_<NAME> spelling still works, for now. */
const warned = new Set<string>();

/** The value of MCPGEN_<name>, else of the deprecated MCP_GEN_<name> (warned about once per process). */
export function mcpgenEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const current = env[`MCPGEN_${name}`];
  if (current !== undefined && current !== '') return current;
  const old = env[`MCP_GEN_${name}`];
  if (old === undefined || old === '') return current;
  if (!warned.has(name)) {
    warned.add(name);
    process.stderr.write(`mcp-gen: MCP_GEN_${name} is deprecated: set MCPGEN_${name} instead\n`);
  }
  return old;
}
