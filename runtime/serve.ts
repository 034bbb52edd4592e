import type { LoadedArtifact } from './artifact/load.js';
import { McpCore, type CoreOptions } from './core/server.js';
import { createSecurity, type SecurityOptions } from './security/index.js';

/**
 * An McpCore serving the artifact with its own security (`auth:`, `scopes:`, `limits:`, `audit:`, through
 * runtime/security's createSecurity): what `mcp-gen run` serves, and what embedders normally want.
 * `McpCore.create` alone applies none of it (every caller trusted), unless given `security`.
 */
export function createCore(loaded: LoadedArtifact, options: CoreOptions & SecurityOptions = {}): Promise<McpCore> {
  const { env, ...core } = options;
  // limits.store, when not written, follows a shared state store: rate limits are shared exactly when sessions are.
  const stateUrl = core.state?.url;
  const security = core.security ?? createSecurity({ ...(env ? { env } : {}), ...(stateUrl ? { stateUrl } : {}) });
  return McpCore.create(loaded, { ...core, ...(env ? { env } : {}), security });
}
