/**
 * Protocol constants: the revisions served, the `_meta` keys and the log levels. The runtime loads no MCP SDK
 * code (start-up stays fast and per-request work small); tests use the SDK's clients against it.
 */

/** Protocol revisions served with the stateless 2026 semantics (per-request `_meta`). */
export const MODERN_VERSIONS = ['2026-07-28'] as const;
/** Protocol revisions served with the 2025 semantics (initialize handshake, sessions). */
export const LEGACY_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'] as const;
export const LATEST_LEGACY_VERSION = LEGACY_VERSIONS[0];

export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  logLevel: 'io.modelcontextprotocol/logLevel',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId'
} as const;

export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
