import { RpcError } from './errors.js';
import type { Era } from './context.js';

/** Longest part of a caller's name or URI echoed back: a 900 KB name must not come back as a 900 KB error. */
const ECHO = 256;
const echo = (text: string) => (text.length > ECHO ? `${text.slice(0, ECHO)}…` : text);

/** The answers to a name nothing serves. An entry hidden from the caller is answered with the same ones. */
export function unknownTool(name: unknown): RpcError {
  return new RpcError('invalidParams', `Unknown tool: ${echo(JSON.stringify(name) ?? 'undefined')}`);
}

export function unknownPrompt(name: unknown): RpcError {
  return new RpcError('invalidParams', `Unknown prompt: ${echo(JSON.stringify(name) ?? 'undefined')}`);
}

export function unknownResource(uri: string, era: Era): RpcError {
  const shown = echo(uri);
  return era === 'legacy' ? new RpcError('resourceNotFoundLegacy', `Resource not found: ${shown}`, { uri: shown }) : new RpcError('invalidParams', `Resource not found: ${shown}`, { uri: shown });
}
