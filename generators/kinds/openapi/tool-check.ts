/** The MCP Tool schema, as the SDK declares it (Standard Schema); loaded only for builds with OpenAPI sources. */
interface StandardSchema {
  '~standard': { validate(value: unknown): { issues?: readonly { message: string; path?: readonly unknown[] }[] } | Promise<unknown> };
}

let toolSchema: StandardSchema | undefined;

/** Loads the SDK's Tool schema once (about 0.2 s), so checkTool can stay synchronous inside the pure lowering. */
export async function preloadToolCheck(): Promise<void> {
  if (toolSchema) return;
  const sdk = (await import('@modelcontextprotocol/server')) as unknown as { specTypeSchemas: { Tool: StandardSchema } };
  toolSchema = sdk.specTypeSchemas.Tool;
}

/**
 * Why a generated tool descriptor is not a valid MCP Tool (root `type: object`, name, annotations, …), or
 * undefined when it is. Without a preloaded schema nothing is checked.
 */
export function checkTool(descriptor: Readonly<Record<string, unknown>>): string | undefined {
  const result = toolSchema?.['~standard'].validate(descriptor);
  if (!result || result instanceof Promise || !('issues' in result) || !result.issues?.length) return undefined;
  const first = result.issues[0]!;
  return `${(first.path ?? []).map(String).join('.') || 'tool'}: ${first.message}`;
}
