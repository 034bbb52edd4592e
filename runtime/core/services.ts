import type { Artifact, ListPages } from '../artifact/ir.js';
import type { Logger } from '../log.js';
import type { Catalog } from './catalog.js';
import type { RequestContext } from './context.js';
import type { MethodResult } from './envelope.js';
import type { Call } from './pipeline.js';
import type { RequestStateCodec } from './request-state.js';
import type { Subscriptions } from './subscriptions.js';
import type { ListListeners } from './listeners.js';
import type { Probe } from './readiness.js';
import type { Audit, Authentication } from './security.js';
import type { ToolView } from './toolsets.js';
import type { ResultCache } from '../cache/result-cache.js';

/** What method handlers share: built once per server, never per request. */
export interface CoreServices {
  readonly artifact: Artifact;
  readonly catalog: Catalog;
  readonly lists: ListPages;
  readonly capabilities: Record<string, unknown>;
  /** 2025 sessions can also subscribe to resources. */
  readonly legacyCapabilities: Record<string, unknown>;
  /** Absolute manifest directory (file resources are relative to it). */
  readonly root: string;
  readonly subscriptions: Subscriptions;
  /** Whether lists may change while serving (mcp-gen dev): listChanged is declared and notified. */
  readonly listChanged: boolean;
  readonly listListeners: ListListeners;
  /** Settles when the server shuts down (ends long-lived streams). */
  readonly closing: Promise<void>;
  readonly serverInfo: Record<string, unknown>;
  readonly log: Logger;
  readonly pipeline: <T>(call: Call, run: () => Promise<T>) => Promise<T>;
  readonly requestState: RequestStateCodec;
  /** `auth:`: how transports authenticate callers; undefined: every caller is trusted. */
  readonly auth: Authentication | undefined;
  /** What each endpoint serves ('' the root, else a toolset), with the lists each caller may see there. */
  readonly views: ReadonlyMap<string, ToolView>;
  /** `audit:`: one line per tool call, resource read and prompt get; undefined: no audit log. */
  readonly audit: Audit | undefined;
  /** The result cache of entries with `cache:`, which also keeps split results; undefined when none needs it. */
  readonly cache: ResultCache | undefined;
  /** Readiness probes of the security set-up's shared stores (ArtifactSecurity.dependencies); undefined: none. */
  readonly securityDependencies: (() => ReadonlyMap<string, Probe>) | undefined;
}

export type MethodHandler = (core: CoreServices, ctx: RequestContext) => MethodResult | Promise<MethodResult>;
