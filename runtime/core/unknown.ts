import { RpcError } from './errors.js';
import type { Era } from './context.js';

/** The answers to a name nothing serves. An entry hidden from the caller is answered with the same ones. */
export function unknownTool(name: unknown): RpcError {
  return new RpcError('invalidParams', `Unknown tool: ${JSON.stringify(name)}`);
}

export function unknownPrompt(name: unknown): RpcError {
  return new RpcError('invalidParams', `Unknown prompt: ${JSON.stringify(name)}`);
}

export function unknownResource(uri: string, era: Era): RpcError {
  return era === 'legacy' ? new RpcError('resourceNotFoundLegacy', `Resource not found: ${uri}`, { uri }) : new RpcError('invalidParams', `Resource not found: ${uri}`, { uri });
}

/**
 * A caller without the scopes an entry needs gets the spec's insufficient-scope error only where it can step up
 * (an OAuth token: the client can ask for one with more scopes). An API key cannot, so the entry is answered
 * exactly as an unknown one: no status, code or text confirms that a hidden name exists.
 */
export function refusalFor(error: RpcError, method: string, params: Record<string, unknown>, era: Era, canStepUp: boolean): RpcError {
  if (error.name !== 'insufficientScope' || canStepUp) return error;
  if (method === 'tools/call') return unknownTool(params.name);
  if (method === 'prompts/get') return unknownPrompt(params.name);
  if (method === 'resources/read' && typeof params.uri === 'string') return unknownResource(params.uri, era);
  return error;
}
