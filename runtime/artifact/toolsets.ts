import type { ToolIR } from './ir.js';

/** The tools the root endpoint serves: all but those only toolsets serve (ToolIR.onlyIn). */
export function rootTools(tools: readonly ToolIR[]): ToolIR[] {
  return tools.filter((t) => t.onlyIn === undefined);
}

/** A toolset's endpoint: the MCP endpoint's path and the toolset's name (`/mcp` + `issues` → `/mcp/issues`). */
export function toolsetPath(endpoint: string, toolset: string): string {
  let end = endpoint.length;
  while (end > 0 && endpoint[end - 1] === '/') end--;
  return `${endpoint.slice(0, end)}/${toolset}`;
}
