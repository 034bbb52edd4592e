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
