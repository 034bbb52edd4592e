import type { Artifact, ListPages } from '../../artifact/ir.js';
import { paginate } from '../../artifact/pages.js';
import type { Principal } from '../../core/context.js';
import type { RpcError } from '../../core/errors.js';
import type { Call, Middleware } from '../../core/pipeline.js';
import type { ListView } from '../../core/security.js';
import { permits, refusal } from '../../core/access.js';
import { unknownPrompt, unknownResource, unknownTool } from '../../core/unknown.js';

const unknownOf: Record<Call['type'], (call: Call) => RpcError> = {
  tool: (call) => unknownTool(call.target),
  prompt: (call) => unknownPrompt(call.target),
  resource: (call) => unknownResource(call.target, call.request.era)
};

/** Authorization in the per-call pipeline: every required scope of the target, or its refusal. */
export const authorize: Middleware = (call, next) => {
  if (!permits(call.request.principal, call.scopes))
    throw refusal(call.request, `${call.type} ${call.target}`, call.scopes!, call.unknown ?? (() => unknownOf[call.type](call)));
  return next();
};

const MAX_CACHED = 256;

/**
 * The four lists as each caller may see them. Without scopes in the artifact (or for a trusted caller) the
 * pre-serialised pages are served as they are; otherwise pages are built per set of held scopes, once, and cached.
 */
export class ListAccess implements ListView {
  /** Whether lists differ between callers (some entry has scopes). */
  readonly filtered: boolean;
  private readonly relevant: ReadonlySet<string>;
  private readonly cache = new Map<string, ListPages>();

  constructor(
    private readonly artifact: Artifact,
    private readonly all: ListPages
  ) {
    const entries = [...artifact.tools, ...artifact.resources, ...artifact.resourceTemplates, ...artifact.prompts];
    this.relevant = new Set(entries.flatMap((e) => e.scopes ?? []));
    this.filtered = this.relevant.size > 0;
  }

  pages(principal: Principal | undefined): ListPages {
    if (!this.filtered || !principal) return this.all;
    const key = principal.scopes
      .filter((s) => this.relevant.has(s))
      .sort()
      .join(' ');
    let pages = this.cache.get(key);
    if (!pages) {
      const { artifact } = this;
      const size = artifact.server.pageSize;
      const visible = <T extends { scopes?: readonly string[]; descriptor: unknown }>(list: readonly T[]) =>
        list.filter((e) => permits(principal, e.scopes)).map((e) => e.descriptor);
      pages = {
        tools: paginate('tools', visible(artifact.tools), size),
        resources: paginate('resources', visible(artifact.resources), size),
        resourceTemplates: paginate('resourceTemplates', visible(artifact.resourceTemplates), size),
        prompts: paginate('prompts', visible(artifact.prompts), size)
      };
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(key, pages);
    }
    return pages;
  }
}
