import { rootTools } from '../artifact/toolsets.js';
import type { CoreSecurity } from '../core/security.js';
import { AuditSinks } from './audit/index.js';
import { ListAccess, authorize } from './auth/access.js';
import { Authenticator } from './auth/authenticator.js';
import { LimitStores } from './limits/index.js';

export interface SecurityOptions {
  /** Where `${VAR}` references of `auth:` API keys and `limits.store` are resolved (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** The shared state store's URL (runtime/state): `limits.store` defaults to it when not written. */
  readonly stateUrl?: string;
}

/**
 * The artifact's security, as the core takes it (CoreOptions.security): `auth:` (the transports' Authenticator),
 * authorization by `scopes:` and `limits:` in the per-call pipeline, `audit:` and the lists each caller may see.
 * One per McpCore: its rate-limit store and audit file survive swaps that keep their settings.
 */
export function createSecurity(options: SecurityOptions = {}): CoreSecurity {
  const limitStores = new LimitStores();
  const auditSinks = new AuditSinks();
  const env = options.env ?? process.env;
  return {
    async forArtifact(loaded, catalog, log) {
      const { artifact } = loaded;
      const limits = await limitStores.middlewareFor(artifact, log, env, options.stateUrl);
      return {
        // Authorization first: later middleware (rate limits, …) never runs for a caller without the scope.
        middleware: limits ? [authorize, limits] : [authorize],
        audit: auditSinks.auditorFor(artifact, loaded.root, catalog),
        auth: artifact.auth ? new Authenticator(artifact.auth, env, log) : undefined,
        lists: new ListAccess({ ...artifact, tools: rootTools(artifact.tools) }, loaded.lists),
        listsOf: (view, pages) => new ListAccess(view, pages),
        dependencies: () => limitStores.dependencies()
      };
    },
    async close(log) {
      await limitStores.close().catch((e: Error) => log.warn(`closing the rate-limit store failed: ${e.message}`));
      // Last: lines of calls that were still running are written before the file is flushed and fsynced.
      auditSinks.close();
    }
  };
}
