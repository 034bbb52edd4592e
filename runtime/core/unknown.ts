import { RpcError } from './errors.js';
import type { Era } from './context.js';
import { closest } from '../suggest.js';

/** Longest part of a caller's name or URI echoed back: a 900 KB name must not come back as a 900 KB error. */
const ECHO = 256;
const echo = (text: string) => (text.length > ECHO ? `${text.slice(0, ECHO)}…` : text);

/**
 * The answers to a name nothing serves. An entry hidden from the caller is answered with the same ones, so
 * `visible` must hold only names the caller may see (see `visibleNames` in core/access.ts): a hidden
 * entry is never suggested, and a hidden name gets the suggestion an unknown one would.
 */
export function unknownTool(name: unknown, visible: Iterable<string> = []): RpcError {
  return withSuggestion(`Unknown tool: ${echo(JSON.stringify(name) ?? 'undefined')}`, name, visible);
}

export function unknownPrompt(name: unknown, visible: Iterable<string> = []): RpcError {
  return withSuggestion(`Unknown prompt: ${echo(JSON.stringify(name) ?? 'undefined')}`, name, visible);
}

export function unknownResource(uri: string, era: Era, visible: Iterable<string> = []): RpcError {
  const shown = echo(uri);
  return withSuggestion(`Resource not found: ${shown}`, uri, visible, era === 'legacy' ? 'resourceNotFoundLegacy' : 'invalidParams', {
    uri: shown
  });
}

function withSuggestion(
  message: string,
  name: unknown,
  visible: Iterable<string>,
  code: 'invalidParams' | 'resourceNotFoundLegacy' = 'invalidParams',
  data?: Record<string, unknown>
): RpcError {
  const guess = typeof name === 'string' ? closest(name, visible) : undefined;
  if (guess === undefined) return new RpcError(code, message, data);
  return new RpcError(code, `${message}. Did you mean ${JSON.stringify(guess)}?`, { ...data, didYouMean: guess });
}
