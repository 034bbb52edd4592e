import { methodLabel, OTHER } from './mcp-methods.js';
import { rpcErrors } from '../core/errors.js';
import type { Channel } from '../core/context.js';
import type { RequestOutcome } from '../core/telemetry.js';
import { LEGACY_VERSIONS, MODERN_VERSIONS } from '../sdk.js';

// Label values of the request metrics, each from a fixed set or from the artifact: whatever a request sends, it
// can add no series (a method, tool or version this server does not know counts under one fixed value).

/** tools/call of a tool the artifact does not declare (the core gives no target then). */
export const UNKNOWN_TOOL = '_unknown';

const versions = new Set<string>([...MODERN_VERSIONS, ...LEGACY_VERSIONS]);

/** gen_ai.tool.name: the declared tool of a tools/call, else empty. */
export function toolLabel(method: string, target: string | undefined): string {
  return method === 'tools/call' ? (target ?? UNKNOWN_TOOL) : '';
}

/** network.transport of the semantic conventions: stdio is a pipe, HTTP and WebSocket run over TCP; unknown (embedders) empty. */
export function transportLabel(channel: Channel): string {
  return channel.transport === 'stdio' ? 'pipe' : channel.transport === undefined ? '' : 'tcp';
}

export function versionLabel(version: string | undefined): string {
  return version === undefined ? '' : versions.has(version) ? version : OTHER;
}

/**
 * error.type as the MCP conventions define it: the JSON-RPC error code (`-32602`), `tool_error` for a tool result
 * with isError, empty on success. Codes come from the runtime's own table, so the set is bounded. (Spans carry the
 * error's name too, as mcpgen.error.name.)
 */
export function errorLabel(outcome: RequestOutcome): string {
  const error = outcome.error;
  if (error) return Object.hasOwn(rpcErrors, error.name) ? String(rpcErrors[error.name as keyof typeof rpcErrors].code) : OTHER;
  return outcome.toolError ? 'tool_error' : '';
}

/** Which rate limit refused a request, if one did: `global` or `principal` (a JSON-RPC error), `tool` (a tool error). */
export function rateLimitScope(outcome: RequestOutcome): 'global' | 'principal' | 'tool' | undefined {
  if (outcome.limited) return 'tool';
  if (outcome.error?.name !== 'rateLimited') return undefined;
  return (outcome.error.data as { limit?: unknown } | undefined)?.limit === 'principal' ? 'principal' : 'global';
}

export { methodLabel, OTHER };
