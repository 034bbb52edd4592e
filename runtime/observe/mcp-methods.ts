/** The value of a label or attribute outside its known set (the OpenTelemetry conventions' spelling). */
export const OTHER = '_OTHER';

/** The MCP request methods of every served revision (notifications are not requests: never observed). */
const methods = new Set([
  'initialize',
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'resources/subscribe',
  'resources/unsubscribe',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
  'server/discover',
  'subscriptions/listen'
]);

/** mcp.method.name: a method of MCP's, else OTHER (a request cannot add a value). */
export function methodLabel(method: string): string {
  return methods.has(method) ? method : OTHER;
}
