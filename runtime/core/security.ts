import type { Artifact, ListPages } from '../artifact/ir.js';
import type { LoadedArtifact } from '../artifact/load.js';
import type { Logger } from '../log.js';
import type { Catalog } from './catalog.js';
import type { Era, JsonRpcId, Principal, RequestContext } from './context.js';
import type { Body } from './envelope.js';
import type { RpcError } from './errors.js';
import type { Middleware } from './pipeline.js';
import type { Probe } from './readiness.js';

/*
 * What the core needs from security, as interfaces: runtime/security implements them and is handed in through
 * CoreOptions.security (createSecurity), so the core never imports runtime/security.
 */

/** A caller, or why there is none: `reason` undefined means no credentials were sent at all. */
export type AuthOutcome = { readonly principal: Principal } | { readonly reason: string | undefined };

/** What a WWW-Authenticate challenge reports. */
export interface AuthProblem {
  error?: 'invalid_token' | 'insufficient_scope';
  description?: string;
  scopes?: readonly string[];
}

/** How transports authenticate callers (`auth:`), and the RFC 9728 metadata and challenges that go with it. */
export interface Authentication {
  /** Throws when the server cannot serve with these settings (an API key whose variable is unset). */
  checkReady(): void;
  authenticate(authorization: string | undefined): Promise<AuthOutcome>;
  /** stdio's caller: undefined (trusted) unless `auth.stdio` names an API key variable. */
  stdioPrincipal(env: NodeJS.ProcessEnv): Principal | undefined;
  resource(host: string | undefined, path: string): string;
  metadataUrl(resource: string): string;
  metadataPaths(path: string): Set<string>;
  metadata(resource: string, serverName: string): Record<string, unknown>;
  challenge(resource: string, problem?: AuthProblem): string;
}

/** One audited request: told its context once built, then how it ended. */
export interface AuditRecord {
  context(ctx: RequestContext): void;
  done(value: Record<string, unknown>, body: Body): void;
  failed(error: RpcError, body: Body): void;
}

/** The audit log (`audit:`): a record per audited request (undefined for methods it does not audit). */
export interface Audit {
  begin(method: string, id: JsonRpcId, params: Record<string, unknown>, era: Era, principal?: Principal): AuditRecord | undefined;
}

/** The four lists as a caller may see them. */
export interface ListView {
  /** Whether lists differ between callers (then their pages must not be shared by caches). */
  readonly filtered: boolean;
  pages(principal: Principal | undefined): ListPages;
}

/** Security of one served artifact. */
export interface ArtifactSecurity {
  /** Undefined: every caller is trusted. */
  readonly auth?: Authentication;
  /** First in the per-call pipeline (authorization, rate limits), before CoreOptions.middleware. */
  readonly middleware: readonly Middleware[];
  readonly audit?: Audit;
  /** Undefined: everyone sees the whole lists. */
  readonly lists?: ListView;
  /** The lists of another view of the artifact (a toolset's), filtered as `lists` is; undefined: unfiltered. */
  listsOf?(view: Artifact, pages: ListPages): ListView;
  /**
   * Shared stores this set-up needs to serve (a Redis rate-limit store), as readiness probes by dependency name
   * (/readyz); names and probe errors carry no credentials. Undefined: nothing outside the process.
   */
  dependencies?(): ReadonlyMap<string, Probe>;
}

/**
 * The security set-up of one McpCore (runtime/security's createSecurity): called for each served artifact (at
 * start and on each swap, where it may keep its stores), and closed at shutdown after the sources.
 */
export interface CoreSecurity {
  forArtifact(loaded: LoadedArtifact, catalog: Catalog, log: Logger): Promise<ArtifactSecurity>;
  close(log: Logger): Promise<void>;
}
